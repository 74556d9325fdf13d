// Barrel of the policy pack.
export {};
