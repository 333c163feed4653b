// Generates the bundled sample organisation (samples/) deterministically from a seed:
//
//   npx tsx scripts/generate-samples.ts            (re)write the files
//   npx tsx scripts/generate-samples.ts --check    fail when the committed files differ from what the seed gives
//
// One organisation, four views of it, the same people in each:
//   samples/organisation.json   the canonical people list (what the tests assert against)
//   samples/ad.ldif             Active Directory as LDIF, loaded into the e2e / demo LDAP server (scripts/ldap-server.sh)
//   samples/hr-export.csv       an HR system's CSV export (the CSV template's input)
//   samples/hr-api/             pages of a generic JSON HR API (the REST template's input, served by test/e2e/hr-api-server.ts)
//
// Dates are fixed (leavers left in 2024/2025, planned leavers leave in 2031), so the files never go stale.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SEED = 20260501;
const PEOPLE = 300;
const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'samples');

export const ORGANISATION = {
	name: 'Zorggroep De Linde',
	emailDomain: 'delinde.example',
	adDomain: 'DELINDE',
	baseDn: 'DC=delinde,DC=local',
	usersOu: 'OU=Staff,DC=delinde,DC=local',
	groupsOu: 'OU=Groups,DC=delinde,DC=local',
	serviceAccount: {
		dn: 'CN=svc-plek,OU=Service Accounts,DC=delinde,DC=local',
		password: 'plek-sync-demo',
	},
};

// ---------------------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32): the same seed gives the same organisation on every machine and Node version.
// ---------------------------------------------------------------------------------------------------------
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
const random = mulberry32(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const chance = (p: number) => random() < p;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// ---------------------------------------------------------------------------------------------------------
// Names, departments, titles
// ---------------------------------------------------------------------------------------------------------
const FIRST_NAMES = [
	'Jan', 'Piet', 'Kees', 'Henk', 'Willem', 'Daan', 'Sem', 'Lucas', 'Finn', 'Bram', 'Thijs', 'Ruben', 'Jesse',
	'Lars', 'Niels', 'Joost', 'Maarten', 'Sander', 'Bas', 'Tim', 'Mohamed', 'Yusuf', 'Ahmed', 'Mehmet', 'Rajesh',
	'Anna', 'Emma', 'Sophie', 'Julia', 'Lisa', 'Eva', 'Sanne', 'Fleur', 'Iris', 'Lotte', 'Anouk', 'Femke',
	'Marieke', 'Ingrid', 'Petra', 'Anke', 'Esther', 'Fatima', 'Noor', 'Aylin', 'Priya', 'Zoë', 'Chloë', 'Renée',
	'Joëlle', 'Hélène', 'Inès', 'Maaike', 'Wilma', 'Gerda', 'Saskia', 'Kim', 'Robin', 'Sacha', 'Dewi',
];
const PARTICLES = ['', '', '', '', '', 'van', 'de', 'van der', 'van den', 'van de', 'den', "van 't", 'ter', 'in ’t'];
const LAST_NAMES = [
	'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker',
	'Brouwer', 'Dijkstra', 'Koster', 'Prins', 'Huisman', 'Kok', 'Postma', 'Kuipers', 'Veenstra', 'Berg', 'Boer',
	'Wal', 'Heuvel', 'Linden', 'Laan', 'Veen', 'Hoek', 'Wijk', 'Graaf', 'Haar', 'Hart', 'Groot', 'Vries',
	'Yılmaz', 'Öztürk', 'El Amrani', 'Bouzid', 'Sharma', 'Nguyen', 'Kowalski', "O'Neill", 'Ahmadi', 'Janssen-Pool',
];
const DEPARTMENTS: Record<string, { weight: number; titles: string[]; manager: string }> = {
	Care: {
		weight: 40,
		titles: ['Nurse', 'Senior Nurse', 'Care Assistant', 'Carer', 'Nurse Practitioner', 'Physiotherapist'],
		manager: 'Care Manager',
	},
	'Home Care': {
		weight: 18,
		titles: ['District Nurse', 'Care Assistant', 'Home Help', 'Planner'],
		manager: 'Home Care Manager',
	},
	Facilities: { weight: 8, titles: ['Facility Worker', 'Cook', 'Receptionist', 'Caretaker'], manager: 'Facility Manager' },
	Finance: { weight: 6, titles: ['Controller', 'Accountant', 'Payroll Officer'], manager: 'Finance Manager' },
	HR: { weight: 5, titles: ['HR Advisor', 'Recruiter', 'HR Officer'], manager: 'HR Manager' },
	ICT: { weight: 5, titles: ['Service Desk Engineer', 'System Administrator', 'Functional Administrator'], manager: 'ICT Manager' },
	Communication: { weight: 3, titles: ['Communication Advisor', 'Content Editor'], manager: 'Head of Communication' },
	Management: { weight: 2, titles: ['Director', 'Management Assistant', 'Policy Advisor'], manager: 'Chief Executive' },
};

// ---------------------------------------------------------------------------------------------------------
// Windows FILETIME: 100 ns intervals since 1601-01-01 UTC. 9223372036854775807 (and 0) mean "never expires".
// ---------------------------------------------------------------------------------------------------------
const FILETIME_NEVER = '9223372036854775807';
const toFileTime = (isoDate: string) =>
	(BigInt(Date.parse(`${isoDate}T00:00:00Z`)) * 10000n + 116444736000000000n).toString();

// AD userAccountControl flags used here
const UAC_NORMAL_ACCOUNT = 0x200; // 512
const UAC_ACCOUNTDISABLE = 0x2; // 514 = disabled normal account
const UAC_DONT_EXPIRE_PASSWORD = 0x10000; // 66048 = normal, password never expires

export interface SamplePerson {
	employeeNumber: string;
	objectGUID: string; // canonical string form, as AD tools show it
	objectGUIDBase64: string; // the raw 16 bytes in AD's byte order, base64 (LDIF `objectGUID::`)
	sAMAccountName: string;
	givenName: string;
	particle: string; // Dutch "tussenvoegsel": van, de, van der...
	familyName: string; // without particle
	sn: string; // AD surname: particle + family name
	displayName: string;
	mail: string;
	department: string;
	title: string;
	manager: string | null; // employeeNumber of the manager
	hireDate: string;
	leaveDate: string | null; // ISO date; in the past for leavers, in 2031 for planned leavers
	active: boolean; // what every source says: should this person have an active Plek account?
	leaverReason: 'disabled' | 'expired' | 'leaveDate' | null; // how the sources express a leaver
	userAccountControl: number;
	accountExpires: string; // FILETIME as decimal string
	cn: string;
	dn: string;
}

function guidBytes(): Buffer {
	const bytes = Buffer.alloc(16);
	for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256);
	bytes[7] = (bytes[7] & 0x0f) | 0x40; // version 4 (Data3 is little-endian, so its high byte is byte 7)
	bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
	return bytes;
}

function guidString(b: Buffer): string {
	const h = [...b].map((x) => x.toString(16).padStart(2, '0'));
	return `${h[3]}${h[2]}${h[1]}${h[0]}-${h[5]}${h[4]}-${h[7]}${h[6]}-${h[8]}${h[9]}-${h.slice(10).join('')}`;
}

const ascii = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ı/g, 'i')
		.replace(/[’']/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '');

function isoDate(year: number, month: number, day: number) {
	return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function generatePeople(): SamplePerson[] {
	const departments = Object.keys(DEPARTMENTS);
	const totalWeight = departments.reduce((sum, d) => sum + DEPARTMENTS[d].weight, 0);
	const people: SamplePerson[] = [];
	const usedMail = new Set<string>();
	const usedSam = new Set<string>();
	const managerOf = new Map<string, string>();

	for (let i = 0; i < PEOPLE; i++) {
		const employeeNumber = String(100001 + i);
		// The first person of each department (in order) is its manager; the first of all is the Chief Executive.
		let department: string;
		let title: string;
		if (i < departments.length) {
			department = departments[i];
			title = DEPARTMENTS[department].manager;
		} else {
			let r = random() * totalWeight;
			department = departments.find((d) => (r -= DEPARTMENTS[d].weight) < 0) ?? departments[0];
			title = pick(DEPARTMENTS[department].titles);
		}
		const givenName = pick(FIRST_NAMES);
		const particle = pick(PARTICLES);
		const familyName = pick(LAST_NAMES);
		const sn = particle ? `${particle} ${familyName}` : familyName;
		const displayName = `${givenName} ${sn}`;
		let local = `${ascii(givenName)}.${ascii(particle)}${ascii(familyName)}`;
		for (let n = 2; usedMail.has(local); n++) local = `${ascii(givenName)}.${ascii(particle)}${ascii(familyName)}${n}`;
		usedMail.add(local);
		let sam = `${ascii(givenName)[0]}${ascii(familyName)}`.slice(0, 18);
		for (let n = 2; usedSam.has(sam); n++) sam = `${ascii(givenName)[0]}${ascii(familyName)}`.slice(0, 17) + n;
		usedSam.add(sam);

		const guid = guidBytes();
		const hireDate = isoDate(int(1998, 2025), int(1, 12), int(1, 28));

		// Leavers (about 8%): a third disabled in AD, a third with accountExpires in the past, a third both;
		// the HR sources say 'nee' / terminated with a leave date in 2024/2025. Planned leavers (about 3%)
		// leave in 2031: still active everywhere, with a future leave date / accountExpires.
		let leaverReason: SamplePerson['leaverReason'] = null;
		let leaveDate: string | null = null;
		let userAccountControl = chance(0.3) ? UAC_NORMAL_ACCOUNT | UAC_DONT_EXPIRE_PASSWORD : UAC_NORMAL_ACCOUNT;
		let accountExpires = chance(0.5) ? FILETIME_NEVER : '0';
		if (i >= departments.length && chance(0.08)) {
			leaveDate = isoDate(int(2024, 2025), int(1, 12), int(1, 28));
			const how = int(0, 2);
			if (how === 0 || how === 2) userAccountControl |= UAC_ACCOUNTDISABLE;
			if (how === 1 || how === 2) accountExpires = toFileTime(leaveDate);
			leaverReason = how === 1 ? 'expired' : 'disabled';
		} else if (i >= departments.length && chance(0.03)) {
			leaveDate = isoDate(2031, int(1, 12), int(1, 28));
			accountExpires = toFileTime(leaveDate);
		}
		const person: SamplePerson = {
			employeeNumber,
			objectGUID: guidString(guid),
			objectGUIDBase64: guid.toString('base64'),
			sAMAccountName: sam,
			givenName,
			particle,
			familyName,
			sn,
			displayName,
			mail: `${local}@${ORGANISATION.emailDomain}`,
			department,
			title,
			manager: null,
			hireDate,
			leaveDate,
			active: leaverReason === null,
			leaverReason,
			userAccountControl,
			accountExpires,
			cn: displayName,
			dn: `CN=${escapeRdn(displayName)},OU=${department},${ORGANISATION.usersOu}`,
		};
		if (i < departments.length) managerOf.set(department, employeeNumber);
		people.push(person);
	}
	const chief = people[departments.indexOf('Management')].employeeNumber;
	for (const person of people) {
		const manager = managerOf.get(person.department)!;
		person.manager = manager === person.employeeNumber ? (manager === chief ? null : chief) : manager;
	}
	// Same display name twice in one OU would give the same DN: AD would refuse, so do we.
	const dns = new Set<string>();
	for (const person of people) {
		for (let n = 2; dns.has(person.dn.toLowerCase()); n++) {
			person.cn = `${person.displayName} (${n})`;
			person.dn = `CN=${escapeRdn(person.cn)},OU=${person.department},${ORGANISATION.usersOu}`;
		}
		dns.add(person.dn.toLowerCase());
	}
	return people;
}

function escapeRdn(value: string): string {
	return value.replace(/([,+"\\<>;=#])/g, '\\$1');
}

// ---------------------------------------------------------------------------------------------------------
// LDIF (RFC 2849): values that are not safe ASCII are base64 (`attr:: ...`)
// ---------------------------------------------------------------------------------------------------------
function ldifLine(attribute: string, value: string): string {
	// RFC 2849 SAFE-STRING: ASCII without NUL, LF, CR; not starting with space, colon or "<". Otherwise base64.
	const codes = [...value].map((c) => c.codePointAt(0)!);
	const safe =
		codes.every((code) => code > 0 && code < 128 && code !== 10 && code !== 13) &&
		!/^[ :<]/.test(value) &&
		!value.endsWith(' ');
	const line = safe ? `${attribute}: ${value}` : `${attribute}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
	// Fold at 76 characters
	const parts: string[] = [];
	for (let i = 0; i < line.length; i += i === 0 ? 76 : 75) parts.push(line.slice(i, i === 0 ? 76 : i + 75));
	return parts.join('\n ');
}

const groupDn = (name: string) => `CN=${escapeRdn(name)},${ORGANISATION.groupsOu}`;

export function toLdif(people: SamplePerson[]): string {
	const byNumber = new Map(people.map((p) => [p.employeeNumber, p]));
	const entries: string[][] = [];
	const entry = (...lines: string[]) => entries.push(lines);
	entry(
		ldifLine('dn', ORGANISATION.baseDn),
		'objectClass: top',
		'objectClass: domain',
		'dc: delinde',
	);
	for (const ou of ['Staff', 'Groups', 'Service Accounts']) {
		entry(ldifLine('dn', `OU=${ou},${ORGANISATION.baseDn}`), 'objectClass: top', 'objectClass: organizationalUnit', `ou: ${ou}`);
	}
	for (const department of Object.keys(DEPARTMENTS)) {
		entry(ldifLine('dn', `OU=${department},${ORGANISATION.usersOu}`), 'objectClass: top', 'objectClass: organizationalUnit', `ou: ${department}`);
	}
	entry(
		ldifLine('dn', ORGANISATION.serviceAccount.dn),
		'objectClass: top',
		'objectClass: person',
		'objectClass: organizationalPerson',
		'cn: svc-plek',
		'sn: svc-plek',
		'description: Read-only account for the Plek user sync (n8n LDAP node)',
		`userPassword: ${ORGANISATION.serviceAccount.password}`,
	);
	const groups = ['All staff', ...Object.keys(DEPARTMENTS).map((d) => `Dept ${d}`)];
	const membersOf = (group: string) =>
		people.filter((p) => group === 'All staff' || `Dept ${p.department}` === group).map((p) => p.dn);
	for (const group of groups) {
		entry(
			ldifLine('dn', groupDn(group)),
			'objectClass: top',
			'objectClass: group',
			ldifLine('cn', group),
			ldifLine('sAMAccountName', group.replace(/ /g, '_')),
			'groupType: -2147483646',
			...membersOf(group).map((dn) => ldifLine('member', dn)),
		);
	}
	for (const p of people) {
		const manager = p.manager ? byNumber.get(p.manager) : undefined;
		entry(
			ldifLine('dn', p.dn),
			'objectClass: top',
			'objectClass: person',
			'objectClass: organizationalPerson',
			'objectClass: user',
			ldifLine('cn', p.cn),
			`objectGUID:: ${p.objectGUIDBase64}`,
			'objectCategory: person',
			ldifLine('sAMAccountName', p.sAMAccountName),
			ldifLine('userPrincipalName', p.mail),
			ldifLine('givenName', p.givenName),
			ldifLine('sn', p.sn),
			ldifLine('displayName', p.displayName),
			ldifLine('mail', p.mail),
			ldifLine('department', p.department),
			ldifLine('title', p.title),
			ldifLine('company', ORGANISATION.name),
			`employeeID: ${p.employeeNumber}`,
			...(manager ? [ldifLine('manager', manager.dn)] : []),
			`userAccountControl: ${p.userAccountControl}`,
			`accountExpires: ${p.accountExpires}`,
			ldifLine('memberOf', groupDn('All staff')),
			ldifLine('memberOf', groupDn(`Dept ${p.department}`)),
		);
	}
	return `# ${ORGANISATION.name}: Active Directory sample (generated by scripts/generate-samples.ts, seed ${SEED}).\n` +
		'# Load it with: scripts/ldap-server.sh start (it loads this file by default)\n\n' +
		entries.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// HR CSV export (semicolon separated, as Dutch HR systems and Excel write it)
// ---------------------------------------------------------------------------------------------------------
export const CSV_COLUMNS = [
	'personeelsnummer', 'voornaam', 'tussenvoegsel', 'achternaam', 'email', 'afdeling', 'functie', 'actief',
	'datum_uit_dienst',
] as const;

function csvCell(value: string): string {
	return /[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(people: SamplePerson[]): string {
	const rows = people.map((p) =>
		[
			p.employeeNumber, p.givenName, p.particle, p.familyName, p.mail, p.department, p.title,
			p.active ? 'ja' : 'nee', p.leaveDate ?? '',
		].map(csvCell).join(';'),
	);
	return [CSV_COLUMNS.join(';'), ...rows].join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------------------
// Generic JSON HR API: GET /api/v1/employees?page=1&limit=100 -> { data: [...], pagination: {...} }
// ---------------------------------------------------------------------------------------------------------
export const HR_API_PAGE_SIZE = 100;

export function toHrApiEmployee(p: SamplePerson) {
	return {
		id: `E${p.employeeNumber}`,
		firstName: p.givenName,
		middleName: p.particle || null,
		lastName: p.familyName,
		workEmail: p.mail,
		department: { name: p.department },
		jobTitle: p.title,
		managerId: p.manager ? `E${p.manager}` : null,
		employmentStatus: p.active ? 'active' : 'terminated',
		startDate: p.hireDate,
		endDate: p.leaveDate,
	};
}

function main() {
	const check = process.argv.includes('--check');
	const people = generatePeople();
	const files = new Map<string, string>();
	files.set(
		'organisation.json',
		JSON.stringify(
			{
				organisation: ORGANISATION,
				generatedBy: 'scripts/generate-samples.ts',
				seed: SEED,
				counts: {
					people: people.length,
					active: people.filter((p) => p.active).length,
					leavers: people.filter((p) => !p.active).length,
				},
				people,
			},
			null,
			2,
		) + '\n',
	);
	files.set('ad.ldif', toLdif(people));
	files.set('hr-export.csv', toCsv(people));
	const employees = people.map(toHrApiEmployee);
	const pages = Math.ceil(employees.length / HR_API_PAGE_SIZE);
	for (let page = 1; page <= pages; page++) {
		files.set(
			`hr-api/employees-page-${page}.json`,
			JSON.stringify(
				{
					data: employees.slice((page - 1) * HR_API_PAGE_SIZE, page * HR_API_PAGE_SIZE),
					pagination: { page, limit: HR_API_PAGE_SIZE, total: employees.length, hasMore: page < pages },
				},
				null,
				2,
			) + '\n',
		);
	}
	let stale = 0;
	mkdirSync(join(OUT, 'hr-api'), { recursive: true });
	for (const [name, content] of files) {
		const path = join(OUT, name);
		if (check) {
			if (!existsSync(path) || readFileSync(path, 'utf8') !== content) {
				console.error(`samples/${name} is out of date: run npx tsx scripts/generate-samples.ts`);
				stale++;
			}
		} else {
			writeFileSync(path, content);
		}
	}
	if (check && stale) process.exit(1);
	const leavers = people.filter((p) => !p.active).length;
	console.log(
		`${check ? 'Checked' : 'Wrote'} samples/: ${people.length} people (${people.length - leavers} active, ${leavers} leavers), ${files.size} files.`,
	);
}

if (require.main === module) main();
