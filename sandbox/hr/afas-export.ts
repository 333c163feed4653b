/**
 * The sample organisation as an AFAS Profit report export, the way a customer saves it from Profit or Excel:
 * UTF-8 with a byte-order mark, `;` between fields, CRLF line ends, Dutch column names with spaces, dates as
 * dd-mm-yyyy, one row per person (the main contract), the manager as an employee number.
 */
import { writeFileSync } from 'node:fs';

import { dayFirst } from './http';
import { HrPerson, hrPeople } from './people';

export const AFAS_EXPORT_HEADERS = [
	'Medewerker',
	'Roepnaam',
	'Voorvoegsel',
	'Achternaam',
	'Voorvoegsel partner',
	'Naam partner',
	'Naamgebruik',
	'E-mail werk',
	'Afdeling',
	'Functie',
	'Leidinggevende',
	'Datum in dienst',
	'Datum uit dienst',
];

const csvField = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function afasExportCsv(people: HrPerson[] = hrPeople()): string {
	const rows = people.map((person) => {
		const main = person.contracts[person.mainContract];
		return [
			person.employeeNumber,
			person.givenName,
			person.particle,
			person.familyName,
			person.partnerParticle,
			person.partnerName,
			person.nameUse,
			person.email,
			main.department,
			main.title,
			person.manager ?? '',
			dayFirst(person.hireDate),
			person.leaveDate ? dayFirst(person.leaveDate) : '',
		]
			.map(csvField)
			.join(';');
	});
	return `\uFEFF${[AFAS_EXPORT_HEADERS.join(';'), ...rows].join('\r\n')}\r\n`;
}

export function writeAfasExport(path: string, people?: HrPerson[]): string {
	writeFileSync(path, afasExportCsv(people), 'utf8');
	return path;
}
