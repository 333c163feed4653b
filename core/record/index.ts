// The Plek user record contract (docs/plek-user-record.schema.json): one parser and one set of rules for the
// Mapper's output, the Sync's input and the Plek node. Free of n8n.
export * from './rules';
export * from './parse';
export * from './profileFields';
