// Plek's SCIM resource paths and the PATCH body, relative to the SCIM base URL (the sender joins them to it).
import type { PatchOperation } from '../core/types';
import { PATCH_OP_SCHEMA } from './schemas';

export function userPath(id: string): string {
	return `/Users/${encodeURIComponent(id)}`;
}

export function groupPath(id: string): string {
	return `/Groups/${encodeURIComponent(id)}`;
}

/** The PATCH body of a list of operations. */
export function patchBody(operations: readonly PatchOperation[]): { schemas: string[]; Operations: PatchOperation[] } {
	return { schemas: [PATCH_OP_SCHEMA], Operations: [...operations] };
}
