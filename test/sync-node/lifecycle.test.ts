// The Sync node's life-cycle options (issue 14) through the node harness against the real sandbox:
// Protected Accounts / Protected Group, and Approve Plan (block -> approve the fingerprint -> apply).
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_LIFECYCLE_OPTIONS } from '../../core/sync/planner';
import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-node-life-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

const person = (i: number, overrides: Partial<IDataObject> = {}): IDataObject => ({
	key: `emp-${i}`,
	userName: `person${i}@acme.example`,
	active: true,
	profile: { 'name.givenName': `Given${i}`, title: 'Nurse' },
	groups: [],
	...overrides,
});
const people = (n: number) => Array.from({ length: n }, (_, i) => person(i));

async function sync(input: IDataObject[], parameters: INodeParameters = {}, continueOnFail = false) {
	return await runSync(sandbox, { parameters, input, continueOnFail });
}

it('a protected account is not deactivated or changed; the Summary names it; a re-run writes nothing', async () => {
	await sync(people(10));
	sandbox.resetCounters();
	const changed = people(10).map((p, i) => (i === 0 ? { ...p, active: false } : i === 1 ? { ...p, profile: { title: 'Boss' } } : p));
	const run = await sync(changed, { options: { protectedAccounts: 'emp-0, PERSON1@acme.example' } });
	expect(sandbox.counters().writes).toBe(0);
	const summary = run.json(0)[0];
	expect(summary.protected).toEqual({
		count: 2,
		accounts: ['person0@acme.example (protected list; not deactivate)', 'person1@acme.example (protected list; not update)'],
	});
	expect(sandbox.users().find((u) => u.externalId === 'emp-0')?.active).toBe(true);
	const again = await sync(changed, { options: { protectedAccounts: 'emp-0, person1@acme.example' } });
	expect(sandbox.counters().writes).toBe(0);
	expect(again.json(1)).toEqual([]);
});

it('a blocked run names the fingerprint and the first people; approving it applies exactly that plan', async () => {
	const input = people(20);
	await sync(input);
	sandbox.resetCounters();
	const leavers = input.map((p, i) => (i < 5 ? { ...p, active: false } : p));
	const error = await sync(leavers).catch((e: Error & { description?: string }) => e);
	expect(error).toBeInstanceOf(Error);
	const fingerprint = /set Approve Plan to (\S+?)\.?$/m.exec((error as Error).message)?.[1];
	expect(fingerprint).toMatch(/^deactivate5-\d{8}T\d{4}Z-[0-9a-f]{20}$/);
	expect((error as { description?: string }).description).toContain(`Plan fingerprint: ${fingerprint}`);
	expect((error as { description?: string }).description).toContain('First affected: deactivate person0@acme.example (key "emp-0")');
	expect(sandbox.counters().writes).toBe(0);

	const report = await sync(leavers, {}, true);
	expect(report.json(0)[0]).toMatchObject({ fingerprint, firstAffected: expect.arrayContaining(['deactivate person4@acme.example (key "emp-4")']) });

	// The source changed after the approval: blocked again, saying what changed.
	const more = input.map((p, i) => (i < 6 ? { ...p, active: false } : p));
	await expect(sync(more, { guards: { approvePlan: fingerprint } })).rejects.toThrow(/approved: 5 deactivate; now: 6 deactivate/);
	expect(sandbox.counters().writes).toBe(0);

	const applied = await sync(leavers, { guards: { approvePlan: fingerprint } });
	expect(applied.json(0)[0]).toMatchObject({ approved: true, fingerprint });
	expect((applied.json(0)[0].done as IDataObject).deactivate).toBe(5);
	sandbox.resetCounters();
	const rerun = await sync(leavers);
	expect(sandbox.counters().writes).toBe(0);
	expect(rerun.json(0)[0].fingerprint).toMatch(/^nothing-/);
});

it('When Blocked = Output the Blocked Plan: the node succeeds with the blocked plan on its outputs, writes nothing; the default fails', async () => {
	const input = people(20);
	await sync(input);
	sandbox.resetCounters();
	const leavers = input.map((p, i) => (i < 5 ? { ...p, active: false } : p));
	await expect(sync(leavers, { guards: { whenBlocked: 'fail' } })).rejects.toThrow(/set Approve Plan to deactivate5-/);
	const blocked = await sync(leavers, { guards: { whenBlocked: 'output' } });
	expect(sandbox.counters().writes).toBe(0);
	const summary = blocked.json(0)[0];
	expect(summary).toMatchObject({ mode: 'apply', dryRun: false, blocked: expect.stringContaining('5 deactivation(s) planned') });
	expect(summary.fingerprint).toMatch(/^deactivate5-\d{8}T\d{4}Z-[0-9a-f]{20}$/);
	expect(summary.firstAffected).toHaveLength(5);
	expect((summary.done as IDataObject).deactivate).toBe(0);
	expect(blocked.json(1).map((c) => [c.key, c.status])).toEqual(input.slice(0, 5).map((p) => [p.key, 'planned']));
	expect(blocked.json(2)[0]).toMatchObject({ type: 'blocked' });

	// A stale approval with Output the Blocked Plan is output too (with the new fingerprint), never applied.
	const more = input.map((p, i) => (i < 6 ? { ...p, active: false } : p));
	const stale = await sync(more, { guards: { whenBlocked: 'output', approvePlan: summary.fingerprint as string } });
	expect(sandbox.counters().writes).toBe(0);
	expect(stale.json(0)[0].blocked).toContain('approved: 5 deactivate; now: 6 deactivate');
	expect(stale.json(0)[0].fingerprint).toMatch(/^deactivate6-/);

	const applied = await sync(leavers, { guards: { whenBlocked: 'output', approvePlan: summary.fingerprint as string } });
	expect(applied.json(0)[0]).toMatchObject({ approved: true, fingerprint: summary.fingerprint });
	expect(applied.json(0)[0].blocked).toBeUndefined();
	expect(sandbox.counters().writes).toBe(5);
});

it('the editor defaults of the life-cycle options are core\'s (nothing protected, nothing approved)', () => {
	const defaults: Record<string, unknown> = {};
	const walk = (props: readonly unknown[]) => {
		for (const p of props as Array<{ name?: string; default?: unknown; options?: unknown[] }>) {
			if (p.name !== undefined && 'default' in p) defaults[p.name] = p.default;
			if (Array.isArray(p.options)) walk(p.options);
		}
	};
	walk(new PlekSync().description.properties);
	expect(defaults.protectedGroup).toBe(DEFAULT_LIFECYCLE_OPTIONS.protectedGroups.join(', '));
	expect(defaults.approvePlan).toBe(DEFAULT_LIFECYCLE_OPTIONS.approvePlan);
	expect(defaults.protectedAccounts).toBe(DEFAULT_LIFECYCLE_OPTIONS.protectedAccounts.join(', '));
});

it('an empty source (no people, or the empty item of Always Output Data) fails loudly unless allowed', async () => {
	await expect(sync([{}])).rejects.toThrow('The source returned no people: nothing was synced');
	await sync(people(3));
	sandbox.resetCounters();
	// Allowed (a delta feed): zero records, and the source-size guard still never deactivates anyone.
	const allowed = await sync([{}], { deactivateMissing: true, guards: { allowEmptySource: true } }, true);
	expect(sandbox.counters().writes).toBe(0);
	expect(allowed.json(0)[0].blocked).toMatch(/the input is empty/);
});
