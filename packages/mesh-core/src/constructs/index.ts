// Barrel of the constructs (one construct per file).
export {};
