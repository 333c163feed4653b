/**
 * The Dutch HR templates in real n8n, each against a local stand-in of its HR system (sandbox/hr/: auth, paging,
 * field names, date semantics and errors as the real API has them) and the Plek sandbox. The people are the sample
 * organisation's, as those systems hold them: a person number beside the employee number, partner names with a
 * name-use code, several contracts for some people. Per template: the first run gets every person right in Plek
 * (key, user name, names, title, department, manager; leavers not created; the people with a leave date ahead counted
 * and named in the Summary, `leavesOn` on their Changes items), the second run writes nothing.
 *
 * One n8n user folder (one install of the package, one credential import) serves every template; each run is one
 * `n8n execute`. Nmbrs and Loket use OAuth authorization code: the credential is imported connected (the stand-in's
 * tokens in n8n's oauthTokenData, as after the one-time login in the editor), and before the second run the
 * stand-in lets the access token expire, so n8n must renew it with the refresh token.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { ENTERPRISE, groupSeed } from '../../scripts/lib/samples';
import { loadTemplate, toHeadless } from '../../scripts/lib/workflows';
import { AFAS_CUSTOM_CONNECTOR, AFAS_STANDARD_CONNECTOR } from '../../sandbox/hr/afas';
import { writeAfasExport } from '../../sandbox/hr/afas-export';
import { DutchHrStandIns, HR_CREDENTIALS, hrCredentials, pointAtStandIns, startDutchHr } from '../../sandbox/hr/index';
import { NMBRS_DEFAULTS, nmbrsEmployeeId } from '../../sandbox/hr/nmbrs';
import { expectedFamilyName, HrPerson, hrPeople } from '../../sandbox/hr/people';
import { expectOk } from './lib/assert';

const SYNC = 'Sync to Plek';
const MAPPER = 'Map to Plek users';
const people = hrPeople();
const active = people.filter((p) => p.active);
const CONTRACTS = people.reduce((n, p) => n + p.contracts.length, 0);
/** Today in the templates' zone: the Mapper and the Sync run on the real clock. */
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
/** Active people whose leave date is ahead, soonest first: what the Summary's leavingAhead names. */
const leavingAhead = active.filter((p) => p.leaveDate !== null && p.leaveDate > today).sort((a, b) => (a.leaveDate! < b.leaveDate! ? -1 : 1));

let env: E2eEnvironment;
let hr: DutchHrStandIns;
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-dutch-hr-'));
const exportPath = join(filesDir, 'afas-medewerkers.csv');
const renamedExportPath = join(filesDir, 'afas-medewerkers-renamed.csv');
const RENAMED_ID = 'PlekE2eAfasRen01';

const byEmployeeNumber = (employeeNumber: string) => employeeNumber;
/** Per template: its id, the node listing the source's rows and how many, its OAuth2 credential, the mapping key. */
const TEMPLATES = [
	{ template: 'afas-export-csv', id: 'PlekE2eAfasCsv01', source: 'Extract CSV rows', rows: people.length, oAuth2Api: HR_CREDENTIALS.afasOAuth, key: byEmployeeNumber },
	{ template: 'afas-profit-oauth', id: 'PlekE2eAfasOAu01', source: 'One item per contract', rows: CONTRACTS, oAuth2Api: HR_CREDENTIALS.afasOAuth, key: byEmployeeNumber },
	{ template: 'afas-profit-classic-token', id: 'PlekE2eAfasTok01', source: 'One item per contract', rows: CONTRACTS, oAuth2Api: HR_CREDENTIALS.afasOAuth, key: byEmployeeNumber },
	{ template: 'youforce-iam-api', id: 'PlekE2eYouforce1', source: 'One item per employment', rows: CONTRACTS, oAuth2Api: HR_CREDENTIALS.youforce, key: byEmployeeNumber },
	{ template: 'nmbrs-api', id: 'PlekE2eNmbrs0001', source: 'One item per employee', rows: people.length, oAuth2Api: HR_CREDENTIALS.nmbrs, key: nmbrsEmployeeId, oauth: () => hr.nmbrs.oauth },
	{ template: 'loket-api', id: 'PlekE2eLoket0001', source: 'One item per employment', rows: CONTRACTS, oAuth2Api: HR_CREDENTIALS.loket, key: byEmployeeNumber, oauth: () => hr.loket.oauth },
];

beforeAll(async () => {
	writeAfasExport(exportPath, people);
	hr = await startDutchHr({ people });
	env = await startEnvironment({ n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	await env.n8n.importCredentials(hrCredentials(hr));
	for (const { template, id, oAuth2Api } of TEMPLATES) {
		const workflow = toHeadless(loadTemplate(template), { id, credentials: { ...CREDENTIALS, oAuth2Api, httpHeaderAuth: HR_CREDENTIALS.afasToken } });
		pointAtStandIns(workflow, hr, exportPath);
		await env.n8n.importWorkflow(workflow);
	}
	// The same export after someone renamed the key column in the report.
	writeFileSync(renamedExportPath, readFileSync(exportPath, 'utf8').replace('Medewerker;', 'Personeelsnummer;'));
	const renamed = toHeadless(loadTemplate('afas-export-csv'), { id: RENAMED_ID, credentials: { ...CREDENTIALS } });
	pointAtStandIns(renamed, hr, renamedExportPath);
	await env.n8n.importWorkflow(renamed);
});

afterAll(async () => {
	await env?.close();
	await hr?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

/** What differs between Plek and the HR system, one line per person ([] when everyone is right). */
function mismatches(expected: HrPerson[], key: (employeeNumber: string) => string): string[] {
	const users = new Map(env.sandbox.users().map((user) => [user.externalId as string, user]));
	const problems: string[] = [];
	for (const person of expected) {
		const user = users.get(key(person.employeeNumber));
		if (!user) {
			problems.push(`${person.employeeNumber}: not in Plek`);
			continue;
		}
		const main = person.contracts[person.mainContract];
		const enterprise = (user[ENTERPRISE] ?? {}) as { department?: string; manager?: { value?: string } };
		const actual = {
			userName: user.userName,
			active: user.active,
			givenName: user.name?.givenName,
			familyName: user.name?.familyName,
			title: user.title,
			department: enterprise.department,
			manager: enterprise.manager?.value,
		};
		const wanted = {
			userName: person.email,
			active: true,
			givenName: person.givenName,
			familyName: expectedFamilyName(person),
			title: main.title,
			department: main.department,
			manager: person.manager ? users.get(key(person.manager))?.id : undefined,
		};
		if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${person.employeeNumber}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`);
	}
	const leaversInPlek = people.filter((p) => !p.active && users.has(key(p.employeeNumber)));
	for (const leaver of leaversInPlek) problems.push(`${leaver.employeeNumber}: a leaver was created`);
	return problems;
}

/**
 * The Summary counts and names (soonest first, up to five) the active people with a leave date ahead, as the
 * template's Leave Date reads it from the HR system; their Changes items carry leavesOn; nobody else's does.
 */
function expectLeavingAhead(summary: Record<string, unknown>, changes: Array<Record<string, unknown>>, key: (employeeNumber: string) => string): void {
	expect(leavingAhead.length).toBeGreaterThan(0); // the sample organisation has people leaving in 2031
	expect(summary.decision).toContain(`; ${leavingAhead.length} leave on a date ahead`);
	const line = String(summary.leavingAhead);
	expect(line).toMatch(new RegExp(`^${leavingAhead.length} leave on a date ahead: `));
	const named = line.replace(/^.*? ahead: /, '').replace(/, and \d+ more$/, '').split(', ');
	// Named as Plek shows them (the template's display name, else given and family name).
	const users = new Map(env.sandbox.users().map((user) => [user.externalId as string, user]));
	const shown = (p: HrPerson) => {
		const user = users.get(key(p.employeeNumber));
		return (user?.displayName as string | undefined) ?? `${user?.name?.givenName} ${user?.name?.familyName}`;
	};
	expect(named).toEqual(leavingAhead.slice(0, 5).map((p) => `${shown(p)} ${p.leaveDate}`));
	for (const p of leavingAhead.slice(0, 5)) expect(shown(p)).toContain(p.givenName);
	const withLeavesOn = changes.filter((c) => c.leavesOn !== undefined).map((c) => [c.key, c.leavesOn]);
	expect(withLeavesOn).toEqual(expect.arrayContaining(leavingAhead.map((p) => [key(p.employeeNumber), p.leaveDate])));
	expect(withLeavesOn).toHaveLength(leavingAhead.length);
}

describe.each(TEMPLATES)('$template', ({ id, source, rows, key, oauth }) => {
	beforeAll(() => {
		env.sandbox.load(groupSeed());
		env.sandbox.resetCounters();
	});

	test('the first run gets every person right: names by name use, main contract, manager', async () => {
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.output(source)[0]).toHaveLength(rows);
		expect(result.output(MAPPER)[1]).toEqual([]);
		const [summary] = result.output(SYNC)[0];
		expect(summary).toMatchObject({ failed: 0, conflicts: 0, invalid: 0 });
		expect(summary.done.create).toBe(active.length);
		expect(result.output(SYNC)[2].filter((issue) => issue.type === 'unknownManager')).toEqual([]);
		expect(mismatches(active, key)).toEqual([]);
		expectLeavingAhead(summary, result.output(SYNC)[1], key);
	});

	test(`a second run writes nothing${oauth ? ' (after the access token expired: n8n renews it with the refresh token)' : ''}`, async () => {
		env.sandbox.resetCounters();
		oauth?.().expireAccessTokens();
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.output(SYNC)[0][0]).toMatchObject({ unchanged: active.length, failed: 0 });
		expect(result.output(SYNC)[0][0].leavingAhead).toMatch(new RegExp(`^${leavingAhead.length} leave on a date ahead: `));
		expect(result.output(SYNC)[1]).toHaveLength(0);
		expect(env.sandbox.counters().writes).toBe(0);
	});
});

test('AFAS was paged with skip/take in a fixed order (orderbyfieldids), with both connectors, one OAuth token', () => {
	const requests = hr.afas.requests();
	// Two runs per template, floor(rows / 100) + 1 pages each (the last page is short or empty).
	const pages = 2 * (Math.floor(CONTRACTS / 100) + 1);
	expect(requests[`/ProfitRestServices/connectors/${AFAS_STANDARD_CONNECTOR}`]).toBe(pages);
	expect(requests[`/ProfitRestServices/connectors/${AFAS_CUSTOM_CONNECTOR}`]).toBe(pages);
	// n8n fetched one client-credentials token and reused it in the second run.
	expect(requests['/ProfitRestServices/oauth/token']).toBe(1);
});

test('Youforce was read by following nextLink, 100 per page, with one token', () => {
	const requests = hr.youforce.requests();
	const pages = (count: number) => 2 * Math.ceil(count / 100);
	expect(requests['/iam/v1.0/employments']).toBe(pages(CONTRACTS));
	expect(requests['/iam/v1.0/persons']).toBe(pages(people.length));
	expect(requests['/iam/v1.0/organizationUnits']).toBe(2);
	expect(requests['/authentication/token']).toBe(1);
});

test('Nmbrs and Loket: the connected credential was used, and renewed once with its refresh token when the access token expired', () => {
	expect(hr.nmbrs.requests()['/connect/token']).toBe(1);
	// 3 pages per run, plus the second run's first request again after the renewal.
	expect(hr.nmbrs.requests()[`/api/companies/${NMBRS_DEFAULTS.companyId}/employees`]).toBe(2 * Math.ceil(people.length / 100) + 1);
	expect(hr.loket.requests()['/oauth/token']).toBe(1);
});

test('an export whose key column was renamed fails the run, naming the column it expected; nothing is written', async () => {
	env.sandbox.load(groupSeed());
	env.sandbox.resetCounters();
	const result = await env.n8n.execute(RENAMED_ID);
	expect(result.ok).toBe(false);
	expect(result.errorMessage).toMatch(/Medewerker/);
	expect(env.sandbox.counters().writes).toBe(0);
	expect(env.sandbox.users()).toEqual([]);
});

test('an AFAS classic token that no longer works fails the run with the 401 (the error workflow reports it); nothing is written', async () => {
	env.sandbox.load(groupSeed());
	env.sandbox.resetCounters();
	hr.afas.replaceClassicToken('<token><version>1</version><data>NEW</data></token>');
	const result = await env.n8n.execute('PlekE2eAfasTok01');
	expect(result.ok).toBe(false);
	expect(result.errorMessage).toMatch(/401|Authorization failed/i);
	expect(env.sandbox.counters().writes).toBe(0);
});
