// Exports as HR systems write them, for the mapping proposal's tests (unit and real n8n): an AFAS Profit report
// (Dutch headers, a BOM on the first, dd-mm-yyyy, particles, a partner name and naamgebruik, the manager by
// employee number), a BambooHR-like English export, and Active Directory entries as n8n's LDAP node gives them.

/** One AFAS-style row, as Extract From File gives it from a `;` CSV with a BOM (all values text). */
export function afasRow(fields: {
	id: string;
	roepnaam: string;
	voorletters?: string;
	voorvoegsel?: string;
	achternaam: string;
	voorvoegselPartner?: string;
	naamPartner?: string;
	naamgebruik?: string;
	email: string;
	afdeling: string;
	functie: string;
	leidinggevende?: string;
	inDienst: string;
	uitDienst?: string;
}): Record<string, string> {
	return {
		'\uFEFFMedewerker': fields.id,
		Roepnaam: fields.roepnaam,
		Voorletters: fields.voorletters ?? `${fields.roepnaam[0]}.`,
		Voorvoegsel: fields.voorvoegsel ?? '',
		Achternaam: fields.achternaam,
		'Voorvoegsel partner': fields.voorvoegselPartner ?? '',
		'Naam partner': fields.naamPartner ?? '',
		Naamgebruik: fields.naamgebruik ?? 'B',
		'E-mail werk': fields.email,
		Afdeling: fields.afdeling,
		Functie: fields.functie,
		Leidinggevende: fields.leidinggevende ?? '',
		'Datum in dienst': fields.inDienst,
		'Datum uit dienst': fields.uitDienst ?? '',
	};
}

/** Six people; today in the tests is 1 June 2024 (unit) or the real date (e2e): 10006 left in 2020. */
export const AFAS_ROWS = [
	afasRow({ id: '10001', roepnaam: 'Jan', voorvoegsel: 'van der', achternaam: 'Berg', email: 'J.vanderBerg@gemeente.example', afdeling: 'Burgerzaken', functie: 'Afdelingshoofd', inDienst: '01-03-2015' }),
	afasRow({ id: '10002', roepnaam: 'Anna', achternaam: 'Jansen', voorvoegselPartner: 'de', naamPartner: 'Vries', naamgebruik: 'PB', email: 'a.devries@gemeente.example', afdeling: 'Burgerzaken', functie: 'Medewerker balie', leidinggevende: '10001', inDienst: '15-08-2019' }),
	afasRow({ id: '10003', roepnaam: 'Pieter', voorvoegsel: "van 't", achternaam: 'Hof', email: 'p.vanthof@gemeente.example', afdeling: 'Sociaal Domein', functie: 'Consulent', leidinggevende: '10001', inDienst: '01-01-2021' }),
	afasRow({ id: '10004', roepnaam: 'Fatima', achternaam: 'El Amrani', voorvoegselPartner: 'van', naamPartner: 'Dijk', naamgebruik: 'BP', email: 'f.elamrani@gemeente.example', afdeling: 'Sociaal Domein', functie: 'Consulent', leidinggevende: '10003', inDienst: '01-02-2022' }),
	afasRow({ id: '10005', roepnaam: 'Kees', voorvoegsel: 'de', achternaam: 'Groot', voorvoegselPartner: '', naamPartner: 'Smit', naamgebruik: 'P', email: 'k.smit@gemeente.example', afdeling: 'ICT', functie: 'Beheerder', leidinggevende: '10001', inDienst: '01-09-2010' }),
	afasRow({ id: '10006', roepnaam: 'Els', voorvoegsel: 'ter', achternaam: 'Horst', email: 'e.terhorst@gemeente.example', afdeling: 'ICT', functie: 'Adviseur', leidinggevende: '10005', inDienst: '01-04-2012', uitDienst: '31-12-2020' }),
];

/** The names each AFAS person should get: given, family, display. */
export const AFAS_NAMES: Record<string, [string, string, string]> = {
	'10001': ['Jan', 'van der Berg', 'Jan van der Berg'],
	'10002': ['Anna', 'de Vries-Jansen', 'Anna de Vries-Jansen'],
	'10003': ['Pieter', "van 't Hof", "Pieter van 't Hof"],
	'10004': ['Fatima', 'El Amrani-van Dijk', 'Fatima El Amrani-van Dijk'],
	'10005': ['Kees', 'Smit', 'Kees Smit'],
	'10006': ['Els', 'ter Horst', 'Els ter Horst'],
};

/** A BambooHR-like custom report: English camelCase headers, ISO dates, status Active/Inactive. */
export const BAMBOO_ROWS = [
	{ employeeNumber: 'E-101', firstName: 'Maria', lastName: 'Lopez', workEmail: 'maria.lopez@acme.example', jobTitle: 'CEO', department: 'Management', supervisorId: '', hireDate: '2016-04-01', terminationDate: '', status: 'Active', mobilePhone: '+31 6 1234 5678' },
	{ employeeNumber: 'E-102', firstName: 'Tom', lastName: 'McDonald', workEmail: 'tom.mcdonald@acme.example', jobTitle: 'Engineer', department: 'R&D', supervisorId: 'E-101', hireDate: '2019-09-16', terminationDate: '', status: 'Active', mobilePhone: '' },
	{ employeeNumber: 'E-103', firstName: 'Sara', lastName: "O'Brien", workEmail: 'sara.obrien@acme.example', jobTitle: 'Engineer', department: 'R&D', supervisorId: 'E-102', hireDate: '2021-01-04', terminationDate: '2023-06-30', status: 'Inactive', mobilePhone: '' },
	{ employeeNumber: 'E-104', firstName: 'Lee', lastName: 'Chen', workEmail: 'lee.chen@acme.example', jobTitle: 'Designer', department: 'R&D', supervisorId: 'E-102', hireDate: '2030-03-01', terminationDate: '', status: 'Active', mobilePhone: '+31 6 8765 4321' },
];

/** Active Directory entries as n8n's LDAP node emits them (objectGUID as the hex of its bytes). */
export const AD_ENTRIES = [
	{ dn: 'CN=Jan Jansen,OU=Staff,DC=acme,DC=example', objectGUID: 'e0041a3b5c4d6e4f8a9b0c1d2e3f4a5b', sAMAccountName: 'jjansen', userPrincipalName: 'jjansen@acme.example', mail: 'Jan.Jansen@acme.example', givenName: 'Jan', sn: 'Jansen', displayName: 'Jan Jansen', title: 'Nurse', department: 'Care', employeeID: '501', userAccountControl: '512', accountExpires: '0', manager: 'CN=Eva Smit,OU=Staff,DC=acme,DC=example' },
	{ dn: 'CN=Eva Smit,OU=Staff,DC=acme,DC=example', objectGUID: 'f1152b4c6d5e7f5a9bac1d2e3f4a5b6c', sAMAccountName: 'esmit', userPrincipalName: 'esmit@acme.example', mail: 'Eva.Smit@acme.example', givenName: 'Eva', sn: 'Smit', displayName: 'Eva Smit', title: 'Manager', department: 'Care', employeeID: '502', userAccountControl: '512', accountExpires: '9223372036854775807' },
	{ dn: 'CN=Old Account,OU=Staff,DC=acme,DC=example', objectGUID: '02263c5d7e6f8a6bacbd2e3f4a5b6c7d', sAMAccountName: 'oaccount', userPrincipalName: 'oaccount@acme.example', mail: 'old@acme.example', givenName: 'Old', sn: 'Account', displayName: 'Old Account', title: 'Clerk', department: 'Office', employeeID: '503', userAccountControl: '514', accountExpires: '0' },
];
