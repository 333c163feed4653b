// The Sync node's start-date options through the node harness against the real sandbox: Create Pre-hires (Days
// Ahead), Time Zone and the test clock Today Is. A re-run writes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runSync, sandboxForFile } from '../support/syncNodeSandbox';

const TOKEN = 'sync-node-prehire-token';
const sandbox = sandboxForFile({ staticToken: TOKEN });

const hire: IDataObject = { key: 'emp-1', userName: 'new@acme.example', active: true, profile: { 'name.givenName': 'Nieuw' }, startDate: '2027-01-04' };

async function sync(parameters: INodeParameters, timezone?: string) {
	return await runSync(sandbox, { parameters, input: [hire], timezone });
}
const account = () => sandbox.users().find((u) => u.externalId === 'emp-1') as { active?: boolean } | undefined;

it('created inactive within the days ahead, activated when Today Is reaches the start date; re-runs write nothing', async () => {
	await sync({ options: { preHireDays: 7, today: '2026-12-20' } });
	expect(account()).toBeUndefined();
	const created = await sync({ options: { preHireDays: 7, today: '2026-12-28' } });
	expect(created.json(0)[0]).toMatchObject({ done: { create: 1 } });
	expect(account()?.active).toBe(false);
	sandbox.resetCounters();
	await sync({ options: { preHireDays: 7, today: '2027-01-03' } });
	expect(sandbox.counters().writes).toBe(0);
	await sync({ options: { preHireDays: 7, today: '2027-01-04' } });
	expect(account()?.active).toBe(true);
	sandbox.resetCounters();
	await sync({ options: { preHireDays: 7, today: '2027-01-04' } });
	expect(sandbox.counters().writes).toBe(0);
});

it('without Create Pre-hires nobody is created before the start date; the Time Zone decides when the day begins', async () => {
	// Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: at any moment their dates differ by one day.
	// A hire starting today in Kiritimati has not started yet in Pago Pago. Today Is takes only a date, so the
	// real clock drives this test (core's tests cover moments in zones: test/sync/planner/prehire-options.test.ts).
	const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
	const startsToday = { ...hire, startDate: todayIn('Pacific/Kiritimati') };
	const run = async (timeZone: string) =>
		await runSync(sandbox, { parameters: { options: { timeZone } }, input: [startsToday] });
	await run('Pacific/Pago_Pago');
	expect(account()).toBeUndefined();
	await run('Pacific/Kiritimati');
	expect(account()?.active).toBe(true);
});

it('an unknown time zone or a Today Is that is no date fails the node, naming the option', async () => {
	await expect(sync({ options: { timeZone: 'Europe/Amsterdan' } })).rejects.toThrow("Options › Time Zone: unknown time zone 'Europe/Amsterdan'");
	await expect(sync({ options: { today: 'tomorrow' } })).rejects.toThrow("Options › Today Is: 'tomorrow' is not a date");
	expect(sandbox.counters().writes).toBe(0);
});

it('Today Is takes only a real YYYY-MM-DD date: what a lenient parser would guess is an error naming the value and the form', async () => {
	for (const value of ['04-03-2026', '1', '2027', '2027-02-30', '2027-1-4', '2027-01-04T08:00:00+01:00', '20270104', 'Jan 4 2027']) {
		const error = await sync({ options: { preHireDays: 7, today: value } }).then(
			() => undefined,
			(e: unknown) => e as Error & { description?: string },
		);
		expect([value, error?.message]).toEqual([value, `Options › Today Is: '${value}' is not a date written YYYY-MM-DD`]);
		expect(error?.description).toMatch(/YYYY-MM-DD, for example 2027-01-04/);
	}
	expect(sandbox.counters().writes).toBe(0);
});

it('a run planned with Today Is says so in its Summary: the todayIs field and the decision line every report e-mail quotes', async () => {
	const dry = await sync({ mode: 'dryRun', options: { preHireDays: 7, today: '2026-12-28' } });
	expect(dry.json(0)[0]).toMatchObject({ todayIs: '2026-12-28', decision: expect.stringMatching(/\(planned as if today were 2026-12-28: Options › Today Is\)$/) });
	const applied = await sync({ options: { preHireDays: 7, today: '2026-12-28' } });
	expect(applied.json(0)[0]).toMatchObject({ todayIs: '2026-12-28', decision: expect.stringMatching(/^Synced: 1 create .*\(planned as if today were 2026-12-28/) });
	const normal = await sync({ options: { preHireDays: 7 } });
	expect(normal.json(0)[0].todayIs).toBeUndefined();
	expect(normal.json(0)[0].decision).not.toMatch(/Today Is/);
});

it("every template's run report e-mail quotes the Summary's decision line, so a Today Is run says so there too", () => {
	const templates = readdirSync(join(__dirname, '..', '..', 'templates')).filter((name) => name.endsWith('.json'));
	const reports = templates.flatMap((name) => {
		const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'templates', name), 'utf8')) as { nodes: Array<{ name: string; parameters: IDataObject }> };
		return workflow.nodes.filter((node) => node.name === 'E-mail the run report').map((node) => [name, String(node.parameters.text)]);
	});
	expect(reports.length).toBeGreaterThanOrEqual(4);
	for (const [name, text] of reports) expect([name, text.includes('{{ $json.decision }}')]).toEqual([name, true]);
});
