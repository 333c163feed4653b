// The templates as a customer imports them: a safe first click (Dry Run, and the sticky note says how to switch),
// and a report that tells a dry run from a real one. The HR templates also report the Mapper's Invalid output and
// fail the run when no record is valid. Behaviour in real n8n: test/e2e/ (hr-sources, dutch-hr, ...).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HR_TEMPLATES = ['hr-csv-export', 'hr-rest-api', 'afas-export-csv', 'afas-profit-oauth', 'afas-profit-classic-token', 'youforce-iam-api', 'nmbrs-api', 'loket-api'];
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

describe.each(['hr-csv-export', 'hr-csv-export-with-approval', 'afas-export-csv'])('templates/%s.json: the CSV file', (name) => {
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
	const columns = ['E-mail werk', 'Datum in dienst', 'Datum uit dienst'];
	const all = expressionsOf('afas-export-csv').join('\n');
	for (const column of columns) {
		const bare = all.split(`\`${column}\``).join('');
		expect([column, bare.includes(column)]).toEqual([column, false]);
		expect(all).toContain(`\`${column}\``);
	}
	// The partner columns are read by the family-name node (a JS property, no backticks needed there).
	expect(JSON.stringify(nodesOf('afas-export-csv').find((n) => n.name === 'Family name by name use')!.parameters)).toContain('Voorvoegsel partner');
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
		// An error answer (401) must not end the paging quietly: n8n throws for it only when it would fetch another page.
		expect(pagination.completeExpression).toBe('={{ $response.statusCode < 300 && $response.body.rows.length < 100 }}');
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

	it("reads AFAS dates as the local dates they are: the digits before the 'Z', never shifted by a time zone", () => {
		const mapper = mapperOf(name);
		// In UTC the calendar date of `2027-03-31T23:30:00Z` is the 31st as written; in Amsterdam it would be the 1st.
		expect(mapper.active).toBe(`$not($leaveDatePassed($toIsoDate(${end}, 'UTC')))`);
		expect(mapper.startDate).toBe(`$startDate($toIsoDate(${start}, 'UTC'))`);
		expect(JSON.stringify(node('Mark current contracts').parameters)).toContain('.slice(0, 10)');
	});
});

test('the classic-token template says when AFAS classic tokens stop working', () => {
	const about = nodesOf('afas-profit-classic-token').find((n) => n.name === 'About this template')!;
	expect(about.parameters.content).toContain('1 May 2027');
});

test('youforce-iam-api: every call sends the tenant header and follows nextLink; the manager comes from the organisation unit', () => {
	const nodes = nodesOf('youforce-iam-api');
	const calls = nodes.filter((n) => n.type === 'n8n-nodes-base.httpRequest');
	expect(calls.map((n) => n.parameters.url.split('/iam/v1.0/')[1]).sort()).toEqual(['employments', 'organizationUnits', 'persons']);
	for (const call of calls) {
		expect(call.parameters.headerParameters.parameters.map((h: { name: string }) => h.name)).toEqual(['X-Raet-Tenant-Id']);
		expect(call.parameters.options.pagination.pagination).toMatchObject({
			paginationMode: 'responseContainsNextURL',
			nextURL: '={{ $response.body.nextLink }}',
			completeExpression: '={{ $response.statusCode < 300 && !$response.body.nextLink }}',
		});
		expect(call.parameters.genericAuthType).toBe('oAuth2Api');
	}
	expect(mapperOf('youforce-iam-api')).toMatchObject({ mappingKey: 'personCode', manager: 'managerCode' });
	const personFields = JSON.stringify(nodes.find((n) => n.name === 'Names, e-mail and manager')!.parameters);
	expect(personFields).toContain('$json.unitManager !== $json.personCode ? $json.unitManager : ($json.parentManager');
});

describe.each([
	{ name: 'nmbrs-api', settings: 'Nmbrs settings', id: 'companyId', pageEnd: '$response.body.pagination.pageNumber >= $response.body.pagination.totalPages' },
	{ name: 'loket-api', settings: 'Loket settings', id: 'employerId', pageEnd: '$response.body.currentPage >= $response.body.totalPages' },
])('templates/$name.json: an OAuth authorization-code API', ({ name, settings, id, pageEnd }) => {
	const nodes = nodesOf(name);
	it('reads every page through an n8n OAuth2 credential, with the API address and the id in one settings node', () => {
		const calls = nodes.filter((n) => n.type === 'n8n-nodes-base.httpRequest');
		expect(calls).toHaveLength(1);
		expect(calls[0].parameters).toMatchObject({ authentication: 'genericCredentialType', genericAuthType: 'oAuth2Api' });
		expect(calls[0].parameters.url).toContain(`$('${settings}').first().json.${id}`);
		const pagination = calls[0].parameters.options.pagination.pagination;
		expect(pagination.parameters.parameters).toEqual([{ type: 'qs', name: 'pageNumber', value: '={{ $pageCount + 1 }}' }]);
		expect(pagination.completeExpression).toBe(`={{ $response.statusCode < 300 && ${pageEnd} }}`);
		const names = nodes.find((n) => n.name === settings)!.parameters.assignments.assignments.map((a: { name: string }) => a.name);
		expect(names).toEqual(['baseUrl', id]);
	});
});

test('nmbrs-api: the mapping key and the manager are both Nmbrs employee ids (no lookup needed)', () => {
	expect(mapperOf('nmbrs-api')).toMatchObject({ mappingKey: 'employeeId', manager: 'manager.employeeId' });
});

test('loket-api: Loket has no manager field, so the manager is found by e-mail address and becomes an employee number', () => {
	const template = templateOf('loket-api');
	const node = (n: string) => template.nodes.find((candidate) => candidate.name === n)!;
	const fields = JSON.stringify(node('Names, e-mail and manager').parameters);
	expect(fields).toContain("f.description === 'E-mail leidinggevende'");
	// Both sides lower-cased and trimmed, so `J.Jansen@Acme.nl ` finds `j.jansen@acme.nl`.
	expect(fields.match(/\.trim\(\)\.toLowerCase\(\)/g)).toHaveLength(2);
	expect(node("Add the manager's employee number").parameters).toMatchObject({
		joinMode: 'enrichInput1',
		mergeByFields: { values: [{ field1: 'managerEmail', field2: 'managerEmailAddress' }] },
	});
	expect(next(template, 'Names, e-mail and manager')).toEqual(["Add the manager's employee number#0", 'Managers by e-mail#0']);
	expect(mapperOf('loket-api')).toMatchObject({ mappingKey: 'employee.employeeNumber', manager: 'managerEmployeeNumber' });
});

describe.each([...HR_TEMPLATES, 'hr-csv-export-with-approval'])('templates/%s.json: leave dates ahead', (name) => {
	const template = templateOf(name);
	const node = (n: string) => template.nodes.find((candidate) => candidate.name === n)!;

	it('maps the leave date its Active reads into Leave Date, and the run report names who leaves on a date ahead', () => {
		const mapper = node('Map to Plek users').parameters;
		expect(mapper.leaveDate).toMatch(/^\$toIsoDate\(/);
		// The same column as the Active rule's $leaveDatePassed (the leave date is read once, the same way).
		const column = /^\$toIsoDate\(([^,)]+)/.exec(mapper.leaveDate)![1];
		expect(mapper.active).toContain(column);
		expect(node('E-mail the run report').parameters.text).toContain('$json.leavingAhead');
	});
});
