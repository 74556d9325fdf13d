// Barrel of src/lint (filled in as the module grows).
export {};
