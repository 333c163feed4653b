// Moved to scripts/lib (shared by tests, bench/ and scripts/); kept so test imports stay as they are.
export * from '../../scripts/lib/standaloneHttp';
