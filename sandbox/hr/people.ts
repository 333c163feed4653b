/**
 * The bundled sample organisation (samples/organisation.json) as a Dutch HR system holds it, for the HR stand-in
 * servers (AFAS Profit, Visma Raet Youforce, Nmbrs, Loket.nl) and the AFAS-style CSV export: the same 300 people as
 * the other templates, plus what those systems add and the templates must handle:
 *
 * - a person number next to the employee number (AFAS: the manager is named by *person* number);
 * - a partner name and a name-use code (naamgebruik) for some people; most use their own name (code B), three use
 *   P, BP and PB, so their family name in Plek differs from the sample organisation's (see `expectedFamilyName`);
 * - several contracts for some people: an ended contract with more hours in another department, or a second,
 *   smaller contract running alongside; the main contract is the current one with the most hours.
 *
 * Everything is derived deterministically from the sample, so tests can compute what Plek should hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_DIR = join(__dirname, '..', '..');

/** One person of samples/organisation.json (the fields used here). */
export interface SampleRecord {
	employeeNumber: string;
	givenName: string;
	particle: string;
	familyName: string;
	mail: string;
	department: string;
	title: string;
	manager: string | null;
	hireDate: string;
	leaveDate: string | null;
	active: boolean;
}

/** Name use (naamgebruik): own name, partner's, own-partner, partner-own. */
export type NameUse = 'B' | 'P' | 'BP' | 'PB';

export interface Contract {
	sequence: number;
	start: string;
	end: string | null;
	hoursPerWeek: number;
	department: string;
	title: string;
}

export interface HrPerson {
	employeeNumber: string;
	personNumber: string;
	givenName: string;
	initials: string;
	particle: string;
	familyName: string;
	partnerParticle: string;
	partnerName: string;
	nameUse: NameUse;
	email: string;
	department: string;
	title: string;
	/** The manager's employee number. */
	manager: string | null;
	hireDate: string;
	leaveDate: string | null;
	active: boolean;
	/** All contracts; `contracts[mainContract]` carries the department and title above. */
	contracts: Contract[];
	mainContract: number;
}

export function loadSampleRecords(): SampleRecord[] {
	return (JSON.parse(readFileSync(join(REPO_DIR, 'samples', 'organisation.json'), 'utf8')) as { people: SampleRecord[] }).people;
}

/** Employee numbers of the people with a partner name they use (the rest with a partner name use their own). */
const NAME_USE: Record<string, NameUse> = { '100012': 'P', '100024': 'BP', '100036': 'PB' };
const PARTNERS = [
	['de', 'Vries'],
	['', 'Jansen'],
	['van der', 'Berg'],
	['', 'Bakker'],
	['van', 'Dijk'],
];
const OTHER_DEPARTMENT: Record<string, [string, string]> = {
	Care: ['Home Care', 'Home Care Worker'],
	'Home Care': ['Care', 'Carer'],
	Facilities: ['Care', 'Carer'],
	Finance: ['HR', 'HR Officer'],
	HR: ['Finance', 'Accountant'],
	ICT: ['Finance', 'Controller'],
	Communication: ['HR', 'HR Advisor'],
	Management: ['Communication', 'Content Editor'],
};

const initialsOf = (givenName: string) =>
	givenName
		.split(/[\s-]+/)
		.filter(Boolean)
		.map((part) => `${part[0].toUpperCase()}.`)
		.join('');

/** Adds a day count to an ISO date. */
function addDays(isoDate: string, days: number): string {
	const date = new Date(`${isoDate}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

/** The contracts of person `index`: the main one, and for some people an ended or a smaller concurrent one. */
function contractsOf(record: SampleRecord, index: number): { contracts: Contract[]; mainContract: number } {
	const hours = [24, 28, 32, 36][index % 4];
	const main: Contract = { sequence: 1, start: record.hireDate, end: record.leaveDate, hoursPerWeek: hours, department: record.department, title: record.title };
	const [otherDepartment, otherTitle] = OTHER_DEPARTMENT[record.department];
	if (record.active && index % 25 === 3) {
		// Moved: an earlier contract with more hours in another department ended the day before the current one began.
		const earlier: Contract = { sequence: 1, start: addDays(record.hireDate, -400), end: addDays(record.hireDate, -1), hoursPerWeek: 38, department: otherDepartment, title: otherTitle };
		return { contracts: [earlier, { ...main, sequence: 2 }], mainContract: 1 };
	}
	if (record.active && index % 25 === 11) {
		// A second, smaller job alongside the main one, listed first.
		const side: Contract = { sequence: 2, start: record.hireDate, end: null, hoursPerWeek: 8, department: otherDepartment, title: otherTitle };
		return { contracts: [side, main], mainContract: 1 };
	}
	return { contracts: [main], mainContract: 0 };
}

export function hrPeople(records: SampleRecord[] = loadSampleRecords()): HrPerson[] {
	return records.map((record, index) => {
		const withPartner = NAME_USE[record.employeeNumber] !== undefined || index % 9 === 5;
		const [partnerParticle, partnerName] = withPartner ? PARTNERS[index % PARTNERS.length] : ['', ''];
		return {
			employeeNumber: record.employeeNumber,
			personNumber: `P${String(Number(record.employeeNumber) - 95000).padStart(6, '0')}`,
			givenName: record.givenName,
			initials: initialsOf(record.givenName),
			particle: record.particle,
			familyName: record.familyName,
			partnerParticle,
			partnerName,
			nameUse: NAME_USE[record.employeeNumber] ?? 'B',
			email: record.mail,
			department: record.department,
			title: record.title,
			manager: record.manager,
			hireDate: record.hireDate,
			leaveDate: record.leaveDate,
			active: record.active,
			...contractsOf(record, index),
		};
	});
}

const joinName = (...parts: string[]) => parts.filter((part) => part !== '').join(' ');

/** The family name Plek should show for a person, by the name-use code (Dutch convention: particles lower case). */
export function expectedFamilyName(person: Pick<HrPerson, 'particle' | 'familyName' | 'partnerParticle' | 'partnerName' | 'nameUse'>): string {
	const own = joinName(person.particle, person.familyName);
	const partner = joinName(person.partnerParticle, person.partnerName);
	if (partner === '') return own;
	switch (person.nameUse) {
		case 'P':
			return partner;
		case 'BP':
			return `${own}-${partner}`;
		case 'PB':
			return `${partner}-${own}`;
		default:
			return own;
	}
}

/** AFAS writes the name-use code as a number: 0 own name, 1 partner-own, 2 partner's, 3 own-partner. */
export const AFAS_NAME_USE: Record<NameUse, string> = { B: '0', PB: '1', P: '2', BP: '3' };
