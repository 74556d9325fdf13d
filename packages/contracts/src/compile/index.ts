// Barrel of src/compile (filled in as the module grows).
export {};
