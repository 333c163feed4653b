/**
 * Membership PATCHes on a group (`add` to `members`, `remove` of `members[value eq "id"]`), applied by the
 * sandbox itself. scimmy coerces the whole group on every PATCH, about 0.15 ms per member: a sync of 5,000 people
 * spent ~0.8 s of CPU on each 100-member PATCH of its 5,000-member group, so the sandbox, not the rate limit,
 * bounded the run. Only the exact shapes whose outcome is certain are taken here (known users, members present);
 * anything else (other paths, extra member attributes, an unknown user, an absent member) still goes to scimmy.
 */
const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const REMOVE_ONE = /^members\[\s*value\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\]$/i;

export type MembershipOperation = { kind: 'add'; ids: string[] } | { kind: 'remove'; id: string };

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function removedId(path: string): string | undefined {
	const match = REMOVE_ONE.exec(path);
	if (!match) return undefined;
	try {
		return JSON.parse(`"${match[1]}"`) as string;
	} catch {
		return undefined;
	}
}

/** The body as membership operations, or undefined when it has any other shape. */
export function membershipOperations(body: unknown): MembershipOperation[] | undefined {
	if (!isObject(body) || !Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP_SCHEMA)) return undefined;
	const operations = body.Operations;
	if (!Array.isArray(operations) || operations.length === 0) return undefined;
	const out: MembershipOperation[] = [];
	for (const op of operations) {
		if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') return undefined;
		const kind = op.op.toLowerCase();
		if (kind === 'add' && op.path.toLowerCase() === 'members' && Array.isArray(op.value)) {
			const ids: string[] = [];
			for (const member of op.value) {
				if (!isObject(member) || Object.keys(member).length !== 1 || typeof member.value !== 'string') return undefined;
				ids.push(member.value);
			}
			out.push({ kind: 'add', ids });
		} else if (kind === 'remove' && op.value === undefined) {
			const id = removedId(op.path);
			if (id === undefined) return undefined;
			out.push({ kind: 'remove', id });
		} else {
			return undefined;
		}
	}
	return out;
}

/**
 * The group's members after the operations (scimmy's result for these shapes: added members appended once,
 * removed ones gone), `changed` false when the list is the same; undefined when scimmy should decide (a member
 * id that is no user, or removing someone who is not a member).
 */
export function applyMembership(
	members: ReadonlyArray<Record<string, unknown>>,
	operations: readonly MembershipOperation[],
	isUser: (id: string) => boolean,
): { members: Array<Record<string, unknown>>; changed: boolean } | undefined {
	// Keyed by value, in member order: deleting and re-adding appends, as scimmy's remove-then-add does.
	const byValue = new Map<unknown, Record<string, unknown>>(members.map((member) => [member.value, member]));
	if (byValue.size !== members.length) return undefined;
	for (const operation of operations) {
		if (operation.kind === 'add') {
			for (const id of operation.ids) {
				if (!isUser(id)) return undefined;
				if (byValue.has(id)) continue;
				byValue.set(id, { value: id });
			}
		} else {
			if (!byValue.delete(operation.id)) return undefined;
		}
	}
	const after = [...byValue.values()];
	return { members: after, changed: after.length !== members.length || after.some((member, i) => member !== members[i]) };
}
