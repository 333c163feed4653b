// The proposal on the Dutch HR stand-ins' own data (sandbox/hr, built by the templates' work): the AFAS report
// export (BOM, `;`, Dutch headers with spaces, dd-mm-yyyy, B/P/BP/PB) and AFAS GetConnector rows, custom (Dutch
// labels with underscores, manager by person number) and standard (English field ids, name use as a digit), main
// contract only. Every person's proposed family name is the one the stand-ins expect.
import { compileMapping, mapAll, removeLeadingBom, type FieldsMappingConfig } from '../../core/mapping';
import { proposeMapping, type ProposedParameters } from '../../core/mapping/propose';
import { AFAS_CUSTOM_CONNECTOR, AFAS_STANDARD_CONNECTOR, afasRows } from '../../sandbox/hr/afas';
import { afasExportCsv } from '../../sandbox/hr/afas-export';
import { expectedFamilyName, hrPeople } from '../../sandbox/hr/people';

const people = hrPeople();

function configOf(parameters: ProposedParameters): FieldsMappingConfig {
	return {
		key: parameters.mappingKey,
		userName: parameters.userName,
		active: parameters.active,
		startDate: parameters.startDate,
		manager: parameters.manager,
		profile: parameters.profileFields.field.map((f) => ({ path: f.path, expression: f.expression })),
		groups: parameters.groupRules.rule.map((r) => ({ group: '', groupName: r.groupName, condition: r.condition })),
	};
}

/** The CSV as Extract From File gives it without Exclude Byte Order Mark: text values, the BOM on the first header. */
function parseCsv(text: string): Array<Record<string, string>> {
	const [header, ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
	const names = header.split(';');
	return lines.map((line) => Object.fromEntries(line.split(';').map((value, i) => [names[i], value])));
}

/** Maps the rows with their own proposal; returns the proposal and each record's family name by e-mail. */
async function familyNamesByEmail(rows: Array<Record<string, unknown>>) {
	const proposal = proposeMapping(rows);
	const results = await mapAll(compileMapping(configOf(proposal.parameters)), removeLeadingBom(rows).items);
	const invalid = results.filter((r) => !r.ok);
	const names = new Map(results.flatMap((r) => (r.ok ? [[r.record.userName, r.record.profile['name.familyName']] as const] : [])));
	return { proposal, invalid, names };
}

const mainContractRows = (connector: string) => {
	const sequences = new Set(people.map((p) => `${p.employeeNumber}/${p.contracts[p.mainContract].sequence}`));
	return afasRows(people, connector).filter((row) => sequences.has(`${row.Medewerker ?? row.EmployeeId}/${row.Volgnummer_contract ?? row.ContractSequenceNumber}`));
};

test.each([
	['the AFAS report export (CSV)', () => parseCsv(afasExportCsv(people))],
	['the AFAS custom GetConnector (Dutch labels, main contracts)', () => mainContractRows(AFAS_CUSTOM_CONNECTOR)],
	['the AFAS standard GetConnector (English ids, main contracts)', () => mainContractRows(AFAS_STANDARD_CONNECTOR)],
])('%s: the proposal maps every person with the family name the stand-ins expect', async (_name, rows) => {
	const { proposal, invalid, names } = await familyNamesByEmail(rows());
	expect(invalid).toEqual([]);
	expect(proposal.parameters.manager).not.toBe('');
	const wrong = people.filter((p) => names.get(p.email.toLowerCase()) !== expectedFamilyName(p)).map((p) => [p.email, names.get(p.email.toLowerCase()), expectedFamilyName(p)]);
	expect(wrong).toEqual([]);
	// The name-use cases are in the data: someone uses a partner's name.
	expect(people.some((p) => p.nameUse !== 'B' && p.partnerName !== '')).toBe(true);
});
