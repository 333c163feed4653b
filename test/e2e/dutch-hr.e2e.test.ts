/**
 * The Dutch HR templates in real n8n, each against a local stand-in of its HR system (sandbox/hr/: auth, paging,
 * field names, date semantics and errors as the real API has them) and the Plek sandbox. The people are the sample
 * organisation's, as those systems hold them: a person number beside the employee number, partner names with a
 * name-use code, several contracts for some people. Per template: the first run gets every person right in Plek
 * (key, user name, names, title, department, manager; leavers not created), the second run writes nothing.
 *
 * One n8n user folder (one install of the package, one credential import) serves every template; each run is one
 * `n8n execute`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment, startEnvironment } from '../../scripts/lib/environment';
import { ENTERPRISE, groupSeed } from '../../scripts/lib/samples';
import { loadTemplate, toHeadless, type WorkflowNode } from '../../scripts/lib/workflows';
import { AFAS_CUSTOM_CONNECTOR, AFAS_DEFAULTS, AFAS_STANDARD_CONNECTOR, AfasStandIn, startAfas } from '../../sandbox/hr/afas';
import { writeAfasExport } from '../../sandbox/hr/afas-export';
import { expectedFamilyName, HrPerson, hrPeople } from '../../sandbox/hr/people';
import { expectOk } from './lib/assert';

const SYNC = 'Sync to Plek';
const MAPPER = 'Map to Plek users';
const people = hrPeople();
const active = people.filter((p) => p.active);

const AFAS_OAUTH = { id: 'AfasOAuthClient1', name: 'AFAS Profit (OAuth)' };
const AFAS_TOKEN = { id: 'AfasClassicTok01', name: 'AFAS Profit (AfasToken)' };

let env: E2eEnvironment;
let afas: AfasStandIn;
const filesDir = mkdtempSync(join(tmpdir(), 'plek-e2e-dutch-hr-'));
const exportPath = join(filesDir, 'afas-medewerkers.csv');

/** Points a template's HTTP Request / file nodes at the stand-ins. */
function patches(): Record<string, (node: WorkflowNode) => void> {
	return {
		'n8n-nodes-base.readWriteFile': (node) => void (node.parameters.fileSelector = exportPath),
		'n8n-nodes-base.httpRequest': (node) => {
			const connector = String(node.parameters.url).split('/connectors/')[1];
			if (connector) node.parameters.url = afas.connectorUrl(connector);
		},
	};
}

const TEMPLATES = [
	{ template: 'afas-export-csv', id: 'PlekE2eAfasCsv01', source: 'Extract CSV rows', rows: people.length },
	{ template: 'afas-profit-oauth', id: 'PlekE2eAfasOAu01', source: 'One item per contract', rows: people.reduce((n, p) => n + p.contracts.length, 0) },
	{ template: 'afas-profit-classic-token', id: 'PlekE2eAfasTok01', source: 'One item per contract', rows: people.reduce((n, p) => n + p.contracts.length, 0) },
];

beforeAll(async () => {
	writeAfasExport(exportPath, people);
	afas = await startAfas({ people });
	env = await startEnvironment({ n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
	await env.n8n.importCredentials([
		{
			...AFAS_OAUTH,
			type: 'oAuth2Api',
			data: {
				grantType: 'clientCredentials',
				accessTokenUrl: afas.tokenUrl,
				clientId: AFAS_DEFAULTS.clientId,
				clientSecret: AFAS_DEFAULTS.clientSecret,
				scope: '',
				authentication: 'body',
			},
		},
		{ ...AFAS_TOKEN, type: 'httpHeaderAuth', data: { name: 'Authorization', value: afas.classicAuthorization } },
	]);
	const credentials = { ...CREDENTIALS, oAuth2Api: AFAS_OAUTH, httpHeaderAuth: AFAS_TOKEN };
	for (const { template, id } of TEMPLATES) {
		await env.n8n.importWorkflow(toHeadless(loadTemplate(template), { id, credentials, patch: patches() }));
	}
});

afterAll(async () => {
	await env?.close();
	await afas?.close();
	rmSync(filesDir, { recursive: true, force: true });
});

/** What differs between Plek and the HR system, one line per person ([] when everyone is right). */
function mismatches(expected: HrPerson[]): string[] {
	const users = new Map(env.sandbox.users().map((user) => [user.externalId as string, user]));
	const problems: string[] = [];
	for (const person of expected) {
		const user = users.get(person.employeeNumber);
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
			manager: person.manager ? users.get(person.manager)?.id : undefined,
		};
		if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${person.employeeNumber}: ${JSON.stringify(actual)} != ${JSON.stringify(wanted)}`);
	}
	const leaversInPlek = people.filter((p) => !p.active && users.has(p.employeeNumber));
	for (const leaver of leaversInPlek) problems.push(`${leaver.employeeNumber}: a leaver was created`);
	return problems;
}

describe.each(TEMPLATES)('$template', ({ id, source, rows }) => {
	beforeAll(() => {
		env.sandbox.load(groupSeed());
		env.sandbox.resetCounters();
	});

	test('the first run gets every person right: names by name use, main contract, manager by employee number', async () => {
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.output(source)[0]).toHaveLength(rows);
		expect(result.output(MAPPER)[1]).toEqual([]);
		const [summary] = result.output(SYNC)[0];
		expect(summary).toMatchObject({ failed: 0, conflicts: 0, invalid: 0 });
		expect(summary.done.create).toBe(active.length);
		expect(result.output(SYNC)[2].filter((issue) => issue.type === 'unknownManager')).toEqual([]);
		expect(mismatches(active)).toEqual([]);
	});

	test('a second run writes nothing', async () => {
		env.sandbox.resetCounters();
		const result = await env.n8n.execute(id);
		expectOk(result);
		expect(result.output(SYNC)[0][0]).toMatchObject({ unchanged: active.length, failed: 0 });
		expect(result.output(SYNC)[1]).toHaveLength(0);
		expect(env.sandbox.counters().writes).toBe(0);
	});
});

test('AFAS was paged with skip/take in a fixed order (orderbyfieldids), with both connectors', () => {
	const requests = afas.requests();
	const contracts = people.reduce((n, p) => n + p.contracts.length, 0);
	// Two runs per template, ceil(rows / 100) + 1 pages each (the last page is short or empty).
	const pages = 2 * (Math.floor(contracts / 100) + 1);
	expect(requests[`/ProfitRestServices/connectors/${AFAS_STANDARD_CONNECTOR}`]).toBe(pages);
	expect(requests[`/ProfitRestServices/connectors/${AFAS_CUSTOM_CONNECTOR}`]).toBe(pages);
	// n8n fetched one OAuth token and reused it in the second run.
	expect(requests['/ProfitRestServices/oauth/token']).toBe(1);
});
