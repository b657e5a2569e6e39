// Layers of this group are exported here, one file per layer.
export {};
