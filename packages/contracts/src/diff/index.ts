// Barrel of src/diff (filled in as the module grows).
export {};
