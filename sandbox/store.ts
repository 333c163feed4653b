/**
 * The sandbox's data: SCIM users and groups as plain JSON, with the indexes that make lookups by
 * externalId / userName / displayName cheap and enforce the uniqueness rules Plek has.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

import SCIMMY from 'scimmy';

import { EqualityFilter, valuesAt } from './filter';

export type ScimResource = Record<string, any> & {
	id: string;
	meta: { resourceType: string; created: string; lastModified: string; version: string };
};

/** Seed data: records may leave out id and meta, which the store then assigns. */
export interface SeedData {
	users?: Array<Record<string, any>>;
	groups?: Array<Record<string, any>>;
}

export interface StoreSnapshot {
	users: ScimResource[];
	groups: ScimResource[];
}

export type ResourceKind = 'User' | 'Group';

/** Attributes compared exactly; every other string comparison is case-insensitive, as SCIM's default caseExact=false. */
const CASE_EXACT_ATTRIBUTES = new Set(['id', 'externalid']);

const conflict = (detail: string) => new SCIMMY.Types.Error(409, 'uniqueness', detail);

/** Strips what the server owns (id, meta, schemas) so the rest can be compared and stored. */
function payloadOf(data: Record<string, any>): Record<string, any> {
	const payload = { ...data };
	for (const serverOwned of ['id', 'meta', 'schemas']) delete payload[serverOwned];
	return payload;
}

function versionNumber(version: string | undefined): number {
	const match = /(\d+)/.exec(version ?? '');
	return match ? Number(match[1]) : 0;
}

export class ScimStore {
	private readonly users = new Map<string, ScimResource>();
	private readonly groups = new Map<string, ScimResource>();
	private readonly userIdByUserName = new Map<string, string>();
	private readonly userIdByExternalId = new Map<string, string>();
	private readonly groupIdByDisplayName = new Map<string, string>();
	/** scimmy's JSON rendering of each resource, per version and base path (see `rendered`). */
	private readonly renderings = new Map<string, { key: string; json: string }>();
	private saveTimer: NodeJS.Timeout | undefined;

	/** Off (the externalIdNotUnique quirk): two users may carry one externalId; lookups by it scan every user. */
	externalIdUnique = true;

	/** @param persistFile JSON file written (debounced) after every change; undefined keeps data in memory. */
	constructor(private readonly persistFile?: string) {}

	// ----- loading and saving -----

	/** Loads the persist file when it exists, otherwise the seed file, otherwise starts empty. */
	load(seedFile?: string): void {
		const source =
			this.persistFile && existsSync(this.persistFile) ? this.persistFile : seedFile;
		if (!source) return;
		this.replaceAll(JSON.parse(readFileSync(source, 'utf8')) as SeedData);
	}

	/** Replaces all data, assigning ids/meta to records that lack them and checking uniqueness. */
	replaceAll(data: SeedData): void {
		// Built aside first, so bad data (a duplicate, say) leaves the current data untouched.
		const staging = new ScimStore();
		for (const user of data.users ?? []) staging.insert('User', user);
		for (const group of data.groups ?? []) staging.insert('Group', group);
		this.clear();
		for (const kind of ['User', 'Group'] as const) {
			for (const resource of staging.table(kind).values()) {
				this.table(kind).set(resource.id, resource);
				this.index(kind, resource);
			}
		}
		this.scheduleSave();
	}

	clear(): void {
		this.renderings.clear();
		this.users.clear();
		this.groups.clear();
		this.userIdByUserName.clear();
		this.userIdByExternalId.clear();
		this.groupIdByDisplayName.clear();
		this.scheduleSave();
	}

	snapshot(): StoreSnapshot {
		return structuredClone({ users: [...this.users.values()], groups: [...this.groups.values()] });
	}

	/** Writes pending changes now (used on close so nothing is lost). */
	flush(): void {
		if (this.saveTimer) clearTimeout(this.saveTimer);
		this.saveTimer = undefined;
		if (!this.persistFile) return;
		// Write then rename, so a crash mid-write never leaves a half-written file behind.
		const temporary = `${this.persistFile}.tmp`;
		writeFileSync(temporary, JSON.stringify(this.snapshot(), null, 2));
		renameSync(temporary, this.persistFile);
	}

	private scheduleSave(): void {
		// Debounced: rewriting the whole file after each of 10,000 creates would make runs quadratic.
		if (!this.persistFile || this.saveTimer) return;
		this.saveTimer = setTimeout(() => this.flush(), 100);
		this.saveTimer.unref();
	}

	// ----- reads -----

	get(kind: ResourceKind, id: string): ScimResource | undefined {
		return this.table(kind).get(id);
	}

	list(kind: ResourceKind): ScimResource[] {
		return [...this.table(kind).values()];
	}

	/** Resources matching `attribute eq value`, through an index where one exists. */
	findEqual(kind: ResourceKind, { attribute, value }: EqualityFilter): ScimResource[] {
		const key = attribute.toLowerCase();
		const indexed =
			key === 'id'
				? value
				: kind === 'User' && key === 'username'
					? this.userIdByUserName.get(value.toLowerCase())
					: kind === 'User' && key === 'externalid' && this.externalIdUnique
						? this.userIdByExternalId.get(value)
						: kind === 'Group' && key === 'displayname'
							? this.groupIdByDisplayName.get(value.toLowerCase())
							: null;
		if (indexed !== null) {
			const found = indexed === undefined ? undefined : this.get(kind, indexed);
			return found ? [found] : [];
		}
		const exact = CASE_EXACT_ATTRIBUTES.has(key);
		const wanted = exact ? value : value.toLowerCase();
		return this.list(kind).filter((resource) =>
			valuesAt(resource, attribute).some((candidate) =>
				typeof candidate === 'string'
					? (exact ? candidate : candidate.toLowerCase()) === wanted
					: String(candidate) === value,
			),
		);
	}

	/**
	 * The resource as scimmy renders it for a response, cached per version: scimmy's schema coercion costs about
	 * half a millisecond per user, which made listing 10,000 users take seconds.
	 */
	rendered(resource: ScimResource, basepath: string, render: () => string): string {
		const key = `${basepath} ${resource.meta.version}`;
		const cached = this.renderings.get(resource.id);
		if (cached?.key === key) return cached.json;
		const json = render();
		this.renderings.set(resource.id, { key, json });
		return json;
	}

	// ----- writes -----

	/** Creates a resource; throws a SCIM 409 when a unique attribute is taken. */
	create(kind: ResourceKind, data: Record<string, any>): ScimResource {
		const payload = payloadOf(data);
		this.checkUnique(kind, payload, undefined);
		const now = new Date().toISOString();
		return this.insert(kind, {
			...payload,
			id: randomUUID(),
			meta: { resourceType: kind, created: now, lastModified: now, version: 'W/"1"' },
		});
	}

	/**
	 * Replaces a resource's attributes (PUT, and PATCH after scimmy applied the operations). The version only
	 * moves when something really changed, so a no-op PATCH does not invalidate clients' ETags.
	 */
	update(kind: ResourceKind, id: string, data: Record<string, any>): ScimResource {
		const existing = this.get(kind, id);
		if (!existing) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
		const payload = payloadOf(data);
		if (JSON.stringify(payload) === JSON.stringify(payloadOf(existing))) return existing;
		this.checkUnique(kind, payload, id);
		this.unindex(kind, existing);
		this.renderings.delete(id);
		const updated: ScimResource = {
			...payload,
			id,
			meta: {
				...existing.meta,
				lastModified: new Date().toISOString(),
				version: `W/"${versionNumber(existing.meta.version) + 1}"`,
			},
		};
		this.table(kind).set(id, updated);
		this.index(kind, updated);
		this.scheduleSave();
		return updated;
	}

	remove(kind: ResourceKind, id: string): void {
		const existing = this.get(kind, id);
		if (!existing) throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);
		this.unindex(kind, existing);
		this.renderings.delete(id);
		this.table(kind).delete(id);
		if (kind === 'User') {
			// A deleted user must not linger as a dangling group member.
			for (const group of this.groups.values()) {
				if (Array.isArray(group.members) && group.members.some((m: any) => m?.value === id)) {
					group.members = group.members.filter((m: any) => m?.value !== id);
					this.renderings.delete(group.id);
				}
			}
		}
		this.scheduleSave();
	}

	// ----- internals -----

	private table(kind: ResourceKind): Map<string, ScimResource> {
		return kind === 'User' ? this.users : this.groups;
	}

	private insert(kind: ResourceKind, record: Record<string, any>): ScimResource {
		const payload = payloadOf(record);
		this.checkUnique(kind, payload, undefined);
		const now = new Date().toISOString();
		const resource: ScimResource = {
			...payload,
			id: typeof record.id === 'string' && record.id ? record.id : randomUUID(),
			meta: {
				resourceType: kind,
				created: record.meta?.created ?? now,
				lastModified: record.meta?.lastModified ?? now,
				version: record.meta?.version ?? 'W/"1"',
			},
		};
		if (this.table(kind).has(resource.id)) throw conflict(`${kind} id ${resource.id} is already in use`);
		this.table(kind).set(resource.id, resource);
		this.index(kind, resource);
		this.scheduleSave();
		return resource;
	}

	private checkUnique(kind: ResourceKind, payload: Record<string, any>, selfId: string | undefined): void {
		const takenBy = (ownerId: string | undefined) => ownerId !== undefined && ownerId !== selfId;
		if (kind === 'User') {
			if (typeof payload.userName === 'string' && takenBy(this.userIdByUserName.get(payload.userName.toLowerCase()))) {
				throw conflict(`userName ${JSON.stringify(payload.userName)} is already in use`);
			}
			if (this.externalIdUnique && typeof payload.externalId === 'string' && takenBy(this.userIdByExternalId.get(payload.externalId))) {
				throw conflict(`externalId ${JSON.stringify(payload.externalId)} is already in use`);
			}
		} else if (
			typeof payload.displayName === 'string' &&
			takenBy(this.groupIdByDisplayName.get(payload.displayName.toLowerCase()))
		) {
			throw conflict(`Group displayName ${JSON.stringify(payload.displayName)} is already in use`);
		}
	}

	private index(kind: ResourceKind, resource: ScimResource): void {
		if (kind === 'User') {
			if (typeof resource.userName === 'string') this.userIdByUserName.set(resource.userName.toLowerCase(), resource.id);
			if (typeof resource.externalId === 'string') this.userIdByExternalId.set(resource.externalId, resource.id);
		} else if (typeof resource.displayName === 'string') {
			this.groupIdByDisplayName.set(resource.displayName.toLowerCase(), resource.id);
		}
	}

	private unindex(kind: ResourceKind, resource: ScimResource): void {
		if (kind === 'User') {
			if (typeof resource.userName === 'string') this.userIdByUserName.delete(resource.userName.toLowerCase());
			if (typeof resource.externalId === 'string') this.userIdByExternalId.delete(resource.externalId);
		} else if (typeof resource.displayName === 'string') {
			this.groupIdByDisplayName.delete(resource.displayName.toLowerCase());
		}
	}
}
