// Shared helpers for the benchmarks: an in-process Plek sandbox, a standalone SCIM client, synthetic people.
import { startSandbox } from '../sandbox/server';
import type { RunningSandbox, SandboxOptions } from '../sandbox/server';
import { createStandalonePlekClient } from '../scripts/lib/standaloneHttp';
import type { PlekScimClientOptions } from '../transport/client';
import { ENTERPRISE_USER_SCHEMA as ENT, parseScimPath, readScimPath, type ScimPath } from '../core/scimPath';
import type { PlekUserRecord, ScimUser } from '../core/types';

export async function sandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
	return startSandbox({ quiet: true, ...options });
}

export function client(box: Pick<RunningSandbox, 'url'>, options: Partial<Omit<PlekScimClientOptions, 'scimBaseUrl'>> = {}) {
	return createStandalonePlekClient(
		{ environmentUrl: box.url, clientId: 'sandbox', clientSecret: 'sandbox-secret' },
		options,
	).client;
}

const departments = ['Care', 'Kitchen', 'Finance', 'ICT', 'Facilities', 'HR', 'Sales', 'Logistics'];

/** Deterministic Plek user records: person i of n. */
export function people(n: number, variant = 0): PlekUserRecord[] {
	return Array.from({ length: n }, (_, i) => ({
		key: `emp-${String(i).padStart(6, '0')}`,
		userName: `person${i}@acme.example`,
		active: true,
		profile: {
			'name.givenName': `Given${i}`,
			'name.familyName': `Family${i}${variant ? '-v' + variant : ''}`,
			'emails[type eq "work"].value': `person${i}@acme.example`,
			title: i % 7 === 0 ? 'Team lead' : 'Employee',
			'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': departments[i % departments.length],
		},
		groups: [departments[i % departments.length], 'All staff'],
	}));
}

/** SCIM user resources for seeding the sandbox directly (fast set-up for read benchmarks). */
export function scimUsers(n: number) {
	return people(n).map((p) => ({
		schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
		externalId: p.key,
		userName: p.userName,
		active: true,
		name: { givenName: p.profile['name.givenName'], familyName: p.profile['name.familyName'] },
	}));
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
	const started = process.hrtime.bigint();
	const value = await fn();
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export function report(name: string, rows: Record<string, string | number>) {
	console.log(`\n## ${name}`);
	for (const [label, value] of Object.entries(rows)) console.log(`  ${label.padEnd(34)} ${value}`);
}

/** CPU time (user + system of this process, ms) of one run: steadier than wall time on a shared machine. */
export async function cpuMs(fn: () => Promise<unknown> | unknown): Promise<number> {
	const started = process.cpuUsage();
	await fn();
	const used = process.cpuUsage(started);
	return (used.user + used.system) / 1000;
}

/** Plek holds everyone; every 100th person's family name is out of date (1% changed). */
export function currentState(records: PlekUserRecord[]): ScimUser[] {
	return records.map((p, i) => ({
		id: `id-${i}`,
		externalId: p.key,
		userName: p.userName as string,
		active: true,
		name: { givenName: p.profile['name.givenName'], familyName: i % 100 === 0 ? 'Old' : p.profile['name.familyName'] },
		emails: [{ type: 'work', value: p.profile['emails[type eq "work"].value'] }],
		title: p.profile.title,
		[ENT]: { department: p.profile[`${ENT}:department`] },
	}));
}

/** The baseline: the least a diff must do - index by externalId, read each value, compare, list what differs. */
export function mapDiff(records: readonly PlekUserRecord[], users: readonly ScimUser[]): Array<{ key: string; path?: string }> {
	const byExternalId = new Map<string, ScimUser>();
	for (const user of users) if (user.externalId) byExternalId.set(user.externalId, user);
	const paths = new Map<string, ScimPath>();
	const changes: Array<{ key: string; path?: string }> = [];
	for (const record of records) {
		const user = byExternalId.get(record.key);
		if (!user) {
			changes.push({ key: record.key });
			continue;
		}
		for (const path in record.profile) {
			let parsed = paths.get(path);
			if (!parsed) paths.set(path, (parsed = parseScimPath(path)));
			if (String(readScimPath(user, parsed) ?? '') !== String(record.profile[path] ?? '')) changes.push({ key: record.key, path });
		}
	}
	return changes;
}
