// An in-memory PlekDirectory for core/sync's unit tests over the sandbox's own data and SCIM handling: the sandbox's
// ScimStore (userName / externalId / displayName uniqueness, 409; versions) and scimmy's resource handlers (creates,
// RFC 7644 PATCH), the code the HTTP sandbox runs behind its routes, called in process. What a unit test needs on
// top lives here: If-Match versions (412), group membership, Bulk, faults injected per call, and counts of
// requests, writes and in-flight calls.
import SCIMMY from 'scimmy';

import { applyMembership } from '../../sandbox/groupPatch';
import { declareScimResources, type ScimContext } from '../../sandbox/scim';
import { ScimStore, type ResourceKind, type ScimResource } from '../../sandbox/store';
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

import { PATCH_OP as PATCH_OP_MESSAGE } from '../support/scim';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A scimmy error (status, scimType, detail) as the FakeScimError the transport's writer reads. */
function asScimError(error: unknown): FakeScimError {
	if (error instanceof FakeScimError) return error;
	const { status, scimType, message } = error as { status?: unknown; scimType?: string | null; message?: string };
	return new FakeScimError(Number(status) || 500, String(message), scimType ?? undefined);
}

/** The store's users or groups as a Map-like view, so tests read and arrange the data directly. */
class StoreView<T extends { id: string }> {
	constructor(
		private readonly store: ScimStore,
		private readonly kind: ResourceKind,
	) {}

	get size(): number {
		return this.store.list(this.kind).length;
	}

	get(id: string): T | undefined {
		return this.store.get(this.kind, id) as unknown as T | undefined;
	}

	has(id: string): boolean {
		return this.store.get(this.kind, id) !== undefined;
	}

	values(): IterableIterator<T> {
		return (this.store.list(this.kind) as unknown as T[]).values();
	}

	/** Puts a resource in as it is (a test's "appeared after planning"); the store checks uniqueness. */
	set(id: string, value: T): this {
		const { users, groups } = this.store.snapshot();
		const put = (list: ScimResource[]) => [...list.filter((r) => r.id !== id), { ...clone(value), id } as unknown as ScimResource];
		this.store.replaceAll(this.kind === 'User' ? { users: put(users), groups } : { users, groups: put(groups) });
		return this;
	}

	delete(id: string): boolean {
		if (!this.has(id)) return false;
		this.store.remove(this.kind, id);
		return true;
	}
}

export class FakeDirectory implements PlekDirectory {
	private readonly store = new ScimStore();
	private readonly context: ScimContext = { store: this.store };
	readonly users = new StoreView<ScimUser>(this.store, 'User');
	readonly groups = new StoreView<ScimGroup>(this.store, 'Group');
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

	constructor(users: ScimUser[] = [], groups: ScimGroup[] = []) {
		declareScimResources();
		this.store.replaceAll(clone({ users, groups }));
	}

	private async call<T>(fn: () => T | Promise<T>): Promise<T> {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		try {
			for (let i = 0; i < this.latencyTurns; i++) await new Promise((r) => setImmediate(r));
			return await fn();
		} finally {
			this.inFlight--;
		}
	}

	private async write<T>(kind: WriteKind, target: unknown, fn: () => Promise<T>, record: { target?: string; count?: number } = {}): Promise<T> {
		return this.call(async () => {
			const fault = this.fault(kind, target);
			if (fault instanceof FakeScimError) throw fault;
			if (fault === 'fail') throw new FakeScimError(500, 'injected server error');
			this.writes.push({ kind, ...record });
			const result = await fn().catch((error: unknown) => {
				throw asScimError(error);
			});
			if (fault === 'lost') throw new FakeScimError(undefined, 'socket hang up (response lost)');
			return result;
		});
	}

	private findOne(kind: ResourceKind, attribute: string, value: string) {
		return clone(this.store.findEqual(kind, { attribute, value })[0]);
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
		return this.call(() => clone(this.store.get('User', id)) as ScimUser | undefined);
	}

	async findGroupByName(displayName: string): Promise<ScimGroup | undefined> {
		return this.call(() => this.findOne('Group', 'displayName', displayName) as ScimGroup | undefined);
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
		return this.call(() => this.store.list('User').map(clone) as unknown as ScimUser[]);
	}

	async listGroups(): Promise<ScimGroup[]> {
		return this.call(() => this.store.list('Group').map(clone) as unknown as ScimGroup[]);
	}

	async findUserByExternalId(externalId: string): Promise<ScimUser | undefined> {
		return this.call(() => this.findOne('User', 'externalId', externalId) as ScimUser | undefined);
	}

	async findUserByUserName(userName: string): Promise<ScimUser | undefined> {
		return this.call(() => this.findOne('User', 'userName', userName) as ScimUser | undefined);
	}

	async createUser(draft: ScimUserDraft): Promise<ScimUser> {
		return this.write('createUser', draft, () => this.doCreate(draft), { target: String(draft.externalId) });
	}

	private async doCreate(draft: ScimUserDraft): Promise<ScimUser> {
		const created = await new SCIMMY.Resources.User().write(clone(draft) as never, this.context);
		return clone(created) as unknown as ScimUser;
	}

	async patchUser(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser> {
		return this.write('patchUser', id, () => this.doPatch(id, operations, version), { target: id });
	}

	private async doPatch(id: string, operations: PatchOperation[], version?: string): Promise<ScimUser> {
		const current = this.store.get('User', id);
		if (!current) throw new FakeScimError(404, `user ${id} not found`);
		if (version && current.meta.version !== version) throw new FakeScimError(412, 'version mismatch');
		const message = { schemas: [PATCH_OP_MESSAGE], Operations: clone(operations) };
		const patched = await new SCIMMY.Resources.User(id).patch(message as never, this.context);
		return clone(patched ?? this.store.get('User', id)) as unknown as ScimUser;
	}

	async createGroup(displayName: string, externalId?: string): Promise<ScimGroup> {
		const group = { displayName, ...(externalId !== undefined ? { externalId } : {}) };
		return this.write('createGroup', displayName, async () => {
			const created = await new SCIMMY.Resources.Group().write(group as never, this.context);
			return clone(created) as unknown as ScimGroup;
		}, { target: displayName });
	}

	/** Membership as the sandbox applies a membership PATCH: store the group's new member list. */
	private async setMembers(groupId: string, next: (members: Array<Record<string, unknown>>) => Array<Record<string, unknown>> | undefined): Promise<void> {
		const group = this.store.get('Group', groupId);
		if (!group) throw new FakeScimError(404, `group ${groupId} not found`);
		const members = next(Array.isArray(group.members) ? group.members : []);
		if (!members) throw new FakeScimError(400, 'a member does not exist', 'invalidValue');
		this.store.update('Group', groupId, { ...group, members });
	}

	async addGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		const isUser = (id: string) => this.store.get('User', id) !== undefined;
		return this.write('addGroupMembers', { groupId, userIds }, () =>
			this.setMembers(groupId, (members) => applyMembership(members, [{ kind: 'add', ids: userIds }], isUser)?.members),
		{ target: groupId, count: userIds.length });
	}

	async removeGroupMembers(groupId: string, userIds: string[]): Promise<void> {
		return this.write('removeGroupMembers', { groupId, userIds }, () =>
			this.setMembers(groupId, (members) => members.filter((m) => !userIds.includes(String(m.value)))),
		{ target: groupId, count: userIds.length });
	}

	async bulk(operations: BulkOperation[]): Promise<BulkOperationResult[]> {
		if (!this.bulkSupported) throw new FakeScimError(501, 'bulk not supported');
		if (operations.length > this.maxOperations) throw new FakeScimError(413, 'too many operations', 'tooMany');
		return this.write('bulk', operations, async () => {
			const results: BulkOperationResult[] = [];
			for (const op of operations) results.push(await this.bulkOperation(op));
			return results;
		}, { count: operations.length });
	}

	private async bulkOperation(op: BulkOperation): Promise<BulkOperationResult> {
		const fault = this.fault(op.method === 'POST' ? 'createUser' : 'patchUser', op.data);
		if (fault === 'fail') return { method: op.method, bulkId: op.bulkId, status: '500', response: { status: '500', detail: 'injected' } };
		if (fault instanceof FakeScimError) {
			return { method: op.method, bulkId: op.bulkId, status: String(fault.status), response: { scimType: fault.scimType, detail: fault.message } };
		}
		try {
			if (op.method === 'POST' && op.path === '/Users') {
				const user = await this.doCreate(op.data as ScimUserDraft);
				return { method: 'POST', bulkId: op.bulkId, status: '201', location: `https://plek.test/scim/v2/Users/${user.id}`, version: user.meta?.version };
			}
			if (op.method === 'PATCH' && op.path.startsWith('/Users/')) {
				const id = decodeURIComponent(op.path.slice('/Users/'.length));
				const data = op.data as { Operations: PatchOperation[] };
				const user = await this.doPatch(id, data.Operations, op.version);
				return { method: 'PATCH', bulkId: op.bulkId, status: '200', location: `https://plek.test/scim/v2/Users/${id}`, version: user.meta?.version };
			}
			return { method: op.method, bulkId: op.bulkId, status: '400', response: { detail: 'unsupported bulk op' } };
		} catch (error) {
			const e = asScimError(error);
			return { method: op.method, bulkId: op.bulkId, status: String(e.status ?? 500), response: { status: String(e.status), scimType: e.scimType, detail: e.message } };
		}
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
