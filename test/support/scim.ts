// The SCIM schema URNs the tests name, one definition each: taken from where the code under test defines them, so a
// test never checks the code against a second spelling of its own constant.
export { ENTERPRISE_USER_SCHEMA as ENTERPRISE } from '../../core/scimPath';
export { PLEK_USER_SCHEMA as PLEK_EXTENSION } from '../../sandbox/scim';
export { PATCH_OP_SCHEMA as PATCH_OP } from '../../core/scimPath';
