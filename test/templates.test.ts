// The templates as a customer imports them: a safe first click (Dry Run, and the sticky note says how to switch),
// and a report that tells a dry run from a real one. The HR templates also report the Mapper's Invalid output and
// fail the run when no record is valid. Behaviour in real n8n: test/e2e/ (hr-sources, dutch-hr, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HR_TEMPLATES = ['hr-csv-export', 'hr-rest-api', 'afas-export-csv', 'afas-profit-oauth', 'afas-profit-classic-token'];
const SYNC_TEMPLATES = ['active-directory-ldap', ...HR_TEMPLATES];
type Node = { name: string; type: string; parameters: Record<string, any>; credentials?: Record<string, { id: string; name: string }> };
type Template = { nodes: Node[]; connections: Record<string, { main: Array<Array<{ node: string; index: number }>> }> };
const templateOf = (name: string): Template => JSON.parse(readFileSync(join(__dirname, '..', 'templates', `${name}.json`), 'utf8'));
const nodesOf = (name: string): Node[] => templateOf(name).nodes;

describe.each(SYNC_TEMPLATES)('templates/%s.json', (name) => {
	const nodes = nodesOf(name);
	const byName = (n: string) => nodes.find((node) => node.name === n)!;

	it('imports with Plek Sync in Dry Run, and its first sticky note says so and how to switch to Sync', () => {
		const syncs = nodes.filter((node) => node.type === 'n8n-nodes-plek.plekSync');
		expect(syncs.map((node) => node.parameters.mode)).toEqual(['dryRun']);
		const about = nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote' && node.name.startsWith('About'))!;
		expect(about.parameters.content).toMatch(/starts in Dry Run/);
		expect(about.parameters.content).toMatch(/set \*\*Mode\*\* to \*\*Sync\*\*/);
	});

	it('reports a dry run with planned writes ("dry run: N would change"), not as "All in step"', () => {
		const condition = byName('Anything to report?').parameters.conditions.conditions[0].leftValue as string;
		expect(condition).toContain('($json.dryRun ? $json.wouldChange : 0)');
		const mail = byName('E-mail the run report').parameters;
		expect(mail.subject).toContain("'[dry run: ' + $json.wouldChange + ' would change] '");
		expect(mail.text).toContain('{{ $json.decision }}');
		// Issues in the report name the person, not only the key.
		expect(mail.text).toContain('i.json.userName');
	});
});

const next = (template: Template, from: string, output = 0) => (template.connections[from]?.main[output] ?? []).map((c) => `${c.node}#${c.index}`);

describe.each(HR_TEMPLATES)('templates/%s.json: the run report hears the Mapper', (name) => {
	const template = templateOf(name);
	const node = (n: string) => template.nodes.find((candidate) => candidate.name === n)!;

	it("wires the Mapper's Invalid output into the report; a run where the Sync never ran fails instead of ending quietly", () => {
		expect(next(template, 'Map to Plek users', 0)).toEqual(['Sync to Plek#0']);
		expect(next(template, 'Map to Plek users', 1)).toEqual(['Sync result and invalid records#1']);
		expect(next(template, 'Sync to Plek', 0)).toEqual(['Sync result and invalid records#0']);
		expect(node('Sync result and invalid records')).toMatchObject({ type: 'n8n-nodes-base.merge', parameters: { mode: 'append' } });
		// The Sync's summary comes first (input 0), so one item reaches the report, once per run.
		expect(next(template, 'Sync result and invalid records')).toEqual(['One report per run#0']);
		expect(node('One report per run')).toMatchObject({ type: 'n8n-nodes-base.limit', parameters: { maxItems: 1, keep: 'firstItems' } });
		expect(next(template, 'One report per run')).toEqual(['Did Plek Sync run?#0']);
		expect(JSON.stringify(node('Did Plek Sync run?').parameters)).toContain("$('Sync to Plek').isExecuted");
		expect(next(template, 'Did Plek Sync run?', 0)).toEqual(['Anything to report?#0']);
		expect(next(template, 'Did Plek Sync run?', 1)).toEqual(['No valid records#0']);
		expect(node('No valid records').type).toBe('n8n-nodes-base.stopAndError');
		expect(node('No valid records').parameters.errorMessage).toContain("$('Map to Plek users').all(1)[0].json.reason");
	});

	it('lists the Invalid records in the e-mail and counts them as something to report', () => {
		expect(node('E-mail the run report').parameters.text).toContain("$('Map to Plek users').all(1).map(");
		expect(node('Anything to report?').parameters.conditions.conditions[0].leftValue).toContain("$('Map to Plek users').all(1).length");
	});
});

describe.each(['hr-csv-export', 'afas-export-csv'])('templates/%s.json: the CSV file', (name) => {
	const nodes = nodesOf(name);
	it('extracts with Exclude Byte Order Mark on, `;` between fields and the first row as column names', () => {
		const extract = nodes.find((node) => node.type === 'n8n-nodes-base.extractFromFile')!;
		expect(extract.parameters).toMatchObject({ operation: 'csv', options: { enableBOM: true, delimiter: ';', headerRow: true } });
	});
});

const mapperOf = (name: string) => nodesOf(name).find((node) => node.type === 'n8n-nodes-plek.plekMapper')!.parameters;
/** Every JSONata text of a Mapper node (key, user name, active, start date, manager, fields, group rules). */
const expressionsOf = (name: string): string[] => {
	const p = mapperOf(name);
	return [
		p.mappingKey,
		p.userName,
		p.active,
		p.startDate,
		p.manager,
		...p.profileFields.field.map((f: { expression: string }) => f.expression),
		...p.groupRules.rule.map((r: { condition?: string; groupName?: string }) => `${r.condition ?? ''} ${r.groupName ?? ''}`),
	].filter(Boolean);
};

test('afas-export-csv: columns with a space or a dash are always written in backticks, dates read day first', () => {
	const columns = ['E-mail werk', 'Datum in dienst', 'Datum uit dienst', 'Voorvoegsel partner', 'Naam partner'];
	const all = expressionsOf('afas-export-csv').join('\n');
	for (const column of columns) {
		const bare = all.split(`\`${column}\``).join('');
		expect([column, bare.includes(column)]).toEqual([column, false]);
		expect(all).toContain(`\`${column}\``);
	}
	const mapper = mapperOf('afas-export-csv');
	expect(mapper).toMatchObject({ mappingKey: 'Medewerker', manager: 'Leidinggevende', startDate: '$startDate(`Datum in dienst`)' });
	expect(mapper.active).toBe('$not($leaveDatePassed(`Datum uit dienst`))');
});

describe.each([
	{ name: 'afas-profit-oauth', credential: 'oAuth2Api', key: 'EmployeeId', person: 'PersonId', managerPerson: 'ManagerPersonId', start: 'EmploymentStartDate', end: 'EmploymentEndDate', connector: 'Profit_Employees' },
	{ name: 'afas-profit-classic-token', credential: 'httpHeaderAuth', key: 'Medewerker', person: 'Persoonsnummer', managerPerson: 'Persoonsnummer_leidinggevende', start: 'Datum_in_dienst', end: 'Datum_uit_dienst', connector: 'Plek_Medewerkers' },
])('templates/$name.json: AFAS Profit GetConnector', ({ name, credential, key, person, managerPerson, start, end, connector }) => {
	const template = templateOf(name);
	const node = (n: string) => template.nodes.find((candidate) => candidate.name === n)!;
	const fetch = template.nodes.find((n) => n.type === 'n8n-nodes-base.httpRequest')!;

	it('pages with skip/take in a fixed order (orderbyfieldids), through an n8n credential', () => {
		expect(fetch.parameters.url).toMatch(new RegExp(`/ProfitRestServices/connectors/${connector}$`));
		expect(fetch.parameters).toMatchObject({ authentication: 'genericCredentialType', genericAuthType: credential });
		expect(Object.keys(fetch.credentials!)).toEqual([credential]);
		const query = Object.fromEntries(fetch.parameters.queryParameters.parameters.map((p: { name: string; value: string }) => [p.name, p.value]));
		expect(query.take).toBe('100');
		expect(query.orderbyfieldids.split(',')[0]).toBe(key);
		const pagination = fetch.parameters.options.pagination.pagination;
		expect(pagination.parameters.parameters).toEqual([{ type: 'qs', name: 'skip', value: '={{ $pageCount * 100 }}' }]);
		expect(pagination.completeExpression).toBe('={{ $response.body.rows.length < 100 }}');
	});

	it('keeps one row per employee (current contract with the most hours) and finds the manager by person number', () => {
		expect(node('Main contract first').parameters.sortFieldsUi.sortField.map((f: { order: string }) => f.order)).toEqual(['descending', 'descending', 'ascending']);
		expect(node('Keep the main contract').parameters).toMatchObject({ operation: 'removeDuplicateInputItems', compare: 'selectedFields', fieldsToCompare: key });
		expect(JSON.stringify(node('Managers by person number').parameters)).toContain(`$json.${person}`);
		expect(node("Add the manager's employee number").parameters).toMatchObject({
			joinMode: 'enrichInput1',
			mergeByFields: { values: [{ field1: managerPerson, field2: 'managerPersonId' }] },
		});
		expect(mapperOf(name)).toMatchObject({ mappingKey: key, manager: 'managerEmployeeId' });
	});

	it("reads AFAS dates as the local dates they are: the date part, never shifted by the 'Z'", () => {
		const mapper = mapperOf(name);
		expect(mapper.active).toContain(`$leaveDatePassed($substringBefore(${end}, 'T'))`);
		expect(mapper.startDate).toContain(`$startDate($substringBefore(${start}, 'T'))`);
		expect(JSON.stringify(node('Mark current contracts').parameters)).toContain('.slice(0, 10)');
	});
});

test('the classic-token template says when AFAS classic tokens stop working', () => {
	const about = nodesOf('afas-profit-classic-token').find((n) => n.name === 'About this template')!;
	expect(about.parameters.content).toContain('1 May 2027');
});
