/** The sandbox's SCIM quirks (see QuirkKnobs): list bodies that lie or break, PATCH dialects, dropped attributes. */
import type { QuirkKnobs } from './options';

/** A list response body, with lying totalResults or a truncated body when those quirks are on. */
export function listBody(schema: string, total: number, startIndex: number, resources: string[], quirks: QuirkKnobs, pageSize: number): string {
	const reported =
		quirks.lyingTotalResults > 0
			? quirks.lyingTotalResults
			: quirks.totalResultsAs === 'pageLength'
				? resources.length
				: quirks.totalResultsAs === 'pageSize'
					? Math.min(total, pageSize)
					: total;
	const list = quirks.malformedListPages ? `{${resources.map((r, i) => `"${i}":${r}`).join(',')}}` : `[${resources.join(',')}]`;
	const body =
		`{"schemas":["${schema}"],"totalResults":${reported},"itemsPerPage":${resources.length},` +
		`"startIndex":${startIndex},"Resources":${list}}`;
	return quirks.truncateListBodies ? body.slice(0, Math.floor(body.length / 2)) : body;
}

const USER_PATH = /^\/Users(\/[^/]+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `emails[type eq "work"].value` -> `emails`; `urn:...:User:department` -> itself. */
function topLevel(path: string): string {
	const urn = /^(urn:[^[]*:)([^:.[]+)/i.exec(path);
	if (urn) return urn[1] + urn[2];
	return path.split(/[.[]/)[0];
}

/** Removes the dropped attributes from a user body (create / path-less PATCH value), extensions included. */
function stripUser(body: Record<string, unknown>, drop: Set<string>): void {
	for (const key of Object.keys(body)) {
		if (drop.has(key)) delete body[key];
		else if (key.startsWith('urn:') && isObject(body[key])) {
			const extension = body[key] as Record<string, unknown>;
			for (const attribute of Object.keys(extension)) if (drop.has(`${key}:${attribute}`)) delete extension[attribute];
		}
	}
}

function patchRefusal(operations: unknown[]): { detail: string; scimType: string } | undefined {
	for (const op of operations) {
		if (!isObject(op)) continue;
		const path = typeof op.path === 'string' ? op.path : undefined;
		if (path?.includes('[')) return { detail: `Filtered paths are not supported: ${path}`, scimType: 'invalidPath' };
		if (!path && isObject(op.value) && Object.values(op.value).some((v) => Array.isArray(v))) {
			return { detail: 'A PATCH without a path cannot change a multi-valued attribute', scimType: 'invalidPath' };
		}
	}
	return undefined;
}

/** Counts user writes for the refuseUserWrites quirk (one per sandbox). */
export interface QuirkState {
	userWrites: number;
}

/** refuseUserWrites: refuses write n when the running share crosses a whole number (exactly `share` of them). */
function refusedWrite(quirks: QuirkKnobs, state: QuirkState | undefined): { detail: string; scimType: string } | undefined {
	const share = quirks.refuseUserWrites;
	if (!share || !state) return undefined;
	const n = state.userWrites++;
	if (Math.floor((n + 1) * share) === Math.floor(n * share)) return undefined;
	return { detail: `The sandbox refuses this write (refuseUserWrites quirk, ${Math.round(share * 100)}% of user writes)`, scimType: 'invalidValue' };
}

export interface WriteQuirkResult {
	/** Send this as 400. */
	refusal?: { detail: string; scimType: string };
	/** Every operation of the PATCH was dropped: answer with the user as it is. */
	unchanged?: boolean;
}

/**
 * Applies the write quirks to one SCIM request body (Bulk operations included), in place. Returns a refusal to
 * send as 400 when a PATCH dialect is refused, or that every operation was dropped.
 */
export function applyWriteQuirks(
	method: string,
	path: string,
	body: unknown,
	quirks: QuirkKnobs,
	state?: QuirkState,
): WriteQuirkResult | undefined {
	if (!isObject(body)) return undefined;
	if (path === '/Bulk' && Array.isArray(body.Operations)) {
		for (const op of body.Operations) {
			if (!isObject(op) || typeof op.path !== 'string' || typeof op.method !== 'string') continue;
			// A refused operation inside a Bulk request: the whole request is refused (as some servers do).
			const result = applyWriteQuirks(op.method.toUpperCase(), op.path, op.data, quirks, state);
			if (result?.refusal) return result;
			if (result?.unchanged) op.data = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'emails', value: [] }] };
		}
		return undefined;
	}
	if (!USER_PATH.test(path)) return undefined;
	const refused = ['POST', 'PUT', 'PATCH'].includes(method) ? refusedWrite(quirks, state) : undefined;
	if (refused) return { refusal: refused };
	const drop = new Set(quirks.dropAttributes);
	if (method === 'PATCH' && Array.isArray(body.Operations)) {
		if (quirks.rejectFilteredPatchPaths) {
			const refusal = patchRefusal(body.Operations);
			if (refusal) return { refusal };
		}
		if (drop.size > 0) {
			const kept = body.Operations.filter((op) => !(isObject(op) && typeof op.path === 'string' && drop.has(topLevel(op.path))));
			for (const op of kept) if (isObject(op) && !op.path && isObject(op.value)) stripUser(op.value, drop);
			body.Operations = kept;
			// Everything dropped: the server answers 200 with the user as it is.
			if (kept.length === 0) return { unchanged: true };
		}
		return undefined;
	}
	if ((method === 'POST' || method === 'PUT') && drop.size > 0) stripUser(body, drop);
	return undefined;
}
