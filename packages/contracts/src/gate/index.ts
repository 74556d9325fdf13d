// Barrel of src/gate (filled in as the module grows).
export {};
