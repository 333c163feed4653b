// An in-memory PlekDirectory that behaves like a strict SCIM server: userName (case-insensitive) and externalId
// uniqueness (409), If-Match versions (412), RFC 7644 PATCH semantics (replace on an unmatched filter is 400
// noTarget), group membership, Bulk. Faults can be injected per call; writes and in-flight calls are counted.
import { parseScimPath, writeScimPath } from '../../core/scimPath';
import { ScimWriter } from '../../transport/writes';
import type {
	BulkOperation,
	CreateOutcome,
	MembershipChange,
	MembershipOptions,
	BulkOperationResult,
	PatchOperation,
	PlekCapabilities,
	PlekDirectory,
	ScimGroup,
	ScimUser,
	ScimUserDraft,
	UpdateOutcome,
	UserWrite,
	UserWriteOptions,
	WriteOutcome,
} from '../../core/types';

export class FakeScimError extends Error {
	constructor(
		readonly status: number | undefined,
		message: string,
		readonly scimType?: string,
	) {
		super(message);
	}
}

export type WriteKind = 'createUser' | 'patchUser' | 'createGroup' | 'addGroupMembers' | 'removeGroupMembers' | 'bulk';

/** What a fault hook returns: throw before applying ('fail' / an error), or apply and then throw ('lost'). */
export type Fault = 'fail' | 'lost' | FakeScimError | undefined;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class FakeDirectory implements PlekDirectory {
	users = new Map<string, ScimUser>();
	groups = new Map<string, ScimGroup>();
	bulkSupported = false;
	maxOperations = 50;
	maxPayloadSize = 1048576;
	requests = 0;
	writes: Array<{ kind: WriteKind; target?: string; count?: number }> = [];
	inFlight = 0;
	maxInFlight = 0;
	/** Resolve every call after this many macrotask turns (lets concurrency show up). */
	latencyTurns = 1;
	fault: (kind: WriteKind, target: unknown) => Fault = () => undefined;
	private nextId = 1;

	constructor(users: ScimUser[] = [], groups: ScimGroup[] = []) {
		for (const u of users) this.users.set(u.id, clone(u));
		for (const g of groups) this.groups.set(g.id, clone(g));
	}

	private async call<T>(fn: () => T): Promise<T> {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			for (let i = 0; i < this.latencyTurns; i++) await new Promise((r) => setImmediate(r));
			return fn();
		} finally {
			this.inFlight--;
		}
	}

	private async write<T>(kind: WriteKind, target: unknown, fn: () => T, record: { target?: string; count?: number } = {}): Promise<T> {
		return this.call(() => {
			const fault = this.fault(kind, target);
			if (fault instanceof FakeScimError) throw fault;
			if (fault === 'fail') throw new FakeScimError(500, 'injected server error');
			this.writes.push({ kind, ...record });
			const result = fn();
			if (fault === 'lost') throw new FakeScimError(undefined, 'socket hang up (response lost)');
			return result;
		});
	}

	private version(user: ScimUser | ScimGroup) {
		const n = Number(/\d+/.exec(user.meta?.version ?? '0')?.[0] ?? 0) + 1;
		user.meta = { ...(user.meta ?? {}), version: `W/"${n}"` };
	}

	private checkUnique(user: ScimUser) {
		for (const other of this.users.values()) {
			if (other.id === user.id) continue;
			if (other.userName.toLowerCase() === user.userName.toLowerCase()) throw new FakeScimError(409, `userName ${user.userName} exists`, 'uniqueness');
			if (user.externalId && other.externalId === user.externalId) throw new FakeScimError(409, `externalId ${user.externalId} exists`, 'uniqueness');
		}
	}

	// ---- PlekDirectory: the typed writes are the transport's ScimWriter over the single-request methods below -----

	private readonly writer = new ScimWriter(this);

	async writeUsers(writes: readonly UserWrite[], options?: UserWriteOptions): Promise<WriteOutcome[]> {
		return this.writer.writeUsers(writes, options);
	}

	async ensureGroup(displayName: string, externalId?: string): Promise<CreateOutcome<ScimGroup>> {
		return this.writer.ensureGroup(displayName, externalId);
	}

	async changeMembers(change: MembershipChange, options?: MembershipOptions): Promise<UpdateOutcome[]> {
		return this.writer.changeMembers(change, options);
	}

	async getUser(id: string): Promise<ScimUser | undefined> {
		return this.call(() => {
			const u = this.users.get(id);
			return u && clone(u);
		});
	}

	async findGroupByName(displayName: string): Promise<ScimGroup | undefined> {
		return this.call(() => {
			const g = [...this.groups.values()].find((x) => x.displayName.toLowerCase() === displayName.toLowerCase());
			return g && clone(g);
		});
	}

	// ---- single requests -------------------------------------------------------------------------------------

	async capabilities(): Promise<PlekCapabilities> {
		return this.call(() => ({
			patch: true,
			bulk: { supported: this.bulkSupported, maxOperations: this.maxOperations, maxPayloadSize: this.maxPayloadSize },
			filter: { supported: true, maxResults: 200 },
			etag: true,
		}));
	}

	async listUsers(): Promise<ScimUser[]> {
		return this.call(() => [...this.users.values()].map(clone));
	}

	async listGroups(): Promise<ScimGroup[]> {
		return this.call(() => [...this.groups.values()].map(clone));
	}

	async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
		return this.call(() => {
			const u = [...this.users.values()].find((x) => x.externalId === externalId);
			return u && clone(u);
		});
	}

	async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
		return this.call(() => {
			const u = [...this.users.values()].find((x) => x.userName.toLowerCase() === userName.toLowerCase());
			return u && clone(u);
		});
	}

	async createUser(draft: ScimUserDraft): Promise<ScimUser> {
		return this.write('createUser', draft, () => this.doCreate(draft), { target: String(draft.externalId) });
	}

	private doCreate(draft: ScimUserDraft): ScimUser {
		if (typeof draft.userName !== 'string' || draft.userName === '') throw new FakeScimError(400, 'userName is required', 'invalidValue');
		const user = { ...clone(draft), id: `u${this.nextId++}`, meta: { resourceType: 'User' } } as ScimUser;
		if (user.active === undefined) user.active = true;
		this.checkUnique(user);
		this.version(user);
		this.users.set(user.id, user);
		return clone(user);
	}

	async patchUser(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser> {
		return this.write('patchUser', id, () => this.doPatch(id, operations, version), { target: id });
	}

	private doPatch(id: string, operations: PatchOperation[], version?: string): ScimUser {
		const current = this.users.get(id);
		if (!current) throw new FakeScimError(404, `user ${id} not found`);
		if (version && current.meta?.version !== version) throw new FakeScimError(412, 'version mismatch');
		const user = clone(current);
		for (const op of operations) applyOperation(user, op);
		this.checkUnique(user);
		this.version(user);
		this.users.set(id, user);
		return clone(user);
	}

	async createGroup(displayName: string, externalId?: string): Promise<ScimGroup> {
		return this.write('createGroup', displayName, () => {
			if ([...this.groups.values()].some((g) => g.displayName.toLowerCase() === displayName.toLowerCase())) {
				throw new FakeScimError(409, `group ${displayName} exists`, 'uniqueness');
			}
			const group: ScimGroup = { id: `g${this.nextId++}`, displayName, members: [], ...(externalId !== undefined ? { externalId } : {}) };
			this.groups.set(group.id, group);
			return clone(group);
		}, { target: displayName });
	}

	async addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		return this.write('addGroupMembers', { groupId, userIds }, () => {
			const group = this.groups.get(groupId);
			if (!group) throw new FakeScimError(404, `group ${groupId} not found`);
			for (const id of userIds) if (!this.users.has(id)) throw new FakeScimError(400, `member ${id} does not exist`, 'invalidValue');
			group.members = group.members ?? [];
			for (const id of userIds) if (!group.members.some((m) => m.value === id)) group.members.push({ value: id });
		}, { target: groupId, count: userIds.length });
	}

	async removeGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		return this.write('removeGroupMembers', { groupId, userIds }, () => {
			const group = this.groups.get(groupId);
			if (!group) throw new FakeScimError(404, `group ${groupId} not found`);
			group.members = (group.members ?? []).filter((m) => !userIds.includes(m.value));
		}, { target: groupId, count: userIds.length });
	}

	async bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		if (!this.bulkSupported) throw new FakeScimError(501, 'bulk not supported');
		if (operations.length > this.maxOperations) throw new FakeScimError(413, 'too many operations', 'tooMany');
		return this.write('bulk', operations, () =>
			operations.map((op): BulkOperationResult => {
				const fault = this.fault(op.method === 'POST' ? 'createUser' : 'patchUser', op.data);
				if (fault === 'fail') return { method: op.method, bulkId: op.bulkId, status: '500', response: { status: '500', detail: 'injected' } };
				if (fault instanceof FakeScimError) {
					return { method: op.method, bulkId: op.bulkId, status: String(fault.status), response: { scimType: fault.scimType, detail: fault.message } };
				}
				try {
					if (op.method === 'POST' && op.path === '/Users') {
						const user = this.doCreate(op.data as ScimUserDraft);
						return { method: 'POST', bulkId: op.bulkId, status: '201', location: `https://plek.test/scim/v2/Users/${user.id}`, version: user.meta?.version };
					}
					if (op.method === 'PATCH' && op.path.startsWith('/Users/')) {
						const id = decodeURIComponent(op.path.slice('/Users/'.length));
						const data = op.data as { Operations: PatchOperation[] };
						const user = this.doPatch(id, data.Operations, op.version);
						return { method: 'PATCH', bulkId: op.bulkId, status: '200', location: `https://plek.test/scim/v2/Users/${id}`, version: user.meta?.version };
					}
					return { method: op.method, bulkId: op.bulkId, status: '400', response: { detail: 'unsupported bulk op' } };
				} catch (error) {
					const e = error as FakeScimError;
					return { method: op.method, bulkId: op.bulkId, status: String(e.status ?? 500), response: { status: String(e.status), scimType: e.scimType, detail: e.message } };
				}
			}),
		{ count: operations.length });
	}

	requestCount(): number {
		return this.requests;
	}

	// ---- helpers for tests ------------------------------------------------------------------------------------

	writeCount(): number {
		return this.writes.length;
	}

	byExternalId(key: string): ScimUser | undefined {
		return [...this.users.values()].find((u) => u.externalId === key);
	}

	groupMembers(displayName: string): string[] {
		const g = [...this.groups.values()].find((x) => x.displayName === displayName);
		return (g?.members ?? []).map((m) => this.users.get(m.value)?.externalId ?? m.value).sort();
	}
}

/** RFC 7644 section 3.5.2 for the paths the planner emits. */
function applyOperation(user: ScimUser, op: PatchOperation): void {
	if (!op.path) {
		if (op.op === 'remove') throw new FakeScimError(400, 'remove needs a path', 'noTarget');
		for (const [k, v] of Object.entries(op.value as Record<string, unknown>)) (user as Record<string, unknown>)[k] = v;
		return;
	}
	const parsed = parseScimPath(op.path);
	const container = (parsed.schema ? ((user as Record<string, unknown>)[parsed.schema] ?? {}) : user) as Record<string, unknown>;
	if (op.op === 'remove') {
		writeScimPath(user, parsed, undefined);
		return;
	}
	if (op.op === 'add' && Array.isArray(op.value) && !parsed.filter && parsed.subAttribute === undefined) {
		const existing = container[parsed.attribute];
		if (parsed.schema) (user as Record<string, unknown>)[parsed.schema] = container;
		container[parsed.attribute] = [...(Array.isArray(existing) ? existing : []), ...op.value];
		return;
	}
	if (op.op === 'replace' && parsed.filter) {
		const list = container[parsed.attribute];
		const f = parsed.filter;
		const found = Array.isArray(list) && list.some((e) => String((e as Record<string, unknown>)[f.attribute]).toLowerCase() === f.value.toLowerCase());
		if (!found) throw new FakeScimError(400, `no value matches ${op.path}`, 'noTarget');
	}
	if (op.op === 'replace' && parsed.schema && parsed.attribute === 'manager' && parsed.subAttribute === undefined) {
		// The enterprise manager: the planner replaces the whole complex value ({value: <user id>}).
		const manager = op.value as { value?: unknown };
		if (typeof manager?.value !== 'string') throw new FakeScimError(400, 'manager needs a value', 'invalidValue');
		(user as Record<string, unknown>)[parsed.schema] = { ...container, manager: { value: manager.value } };
		return;
	}
	if (op.value !== null && typeof op.value === 'object') throw new FakeScimError(400, 'complex values are not used by the planner', 'invalidValue');
	writeScimPath(user, parsed, op.value as string | number | boolean);
}
