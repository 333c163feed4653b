// Helpers with AD and HR values in the encodings they really arrive in.
import {
	adDisabled,
	adExpired,
	adGuid,
	dnToCn,
	fileTimeToIso,
	generalizedTimeToIso,
	initials,
	joinNonEmpty,
	ldapFirst,
	leaveDatePassed,
	memberOf,
	nameCase,
	normalizeEmail,
	toBool,
	toIsoDate,
} from '../../core/mapping/helpers';
import { HelperError } from '../../core/mapping/errors';

// {3F2504E0-4F89-11D3-9A0C-0305E82C3301} as AD stores it: Data1..Data3 little-endian, Data4 as is.
const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const GUID_BYTES = [0xe0, 0x04, 0x25, 0x3f, 0x89, 0x4f, 0xd3, 0x11, 0x9a, 0x0c, 0x03, 0x05, 0xe8, 0x2c, 0x33, 0x01];

describe('$adGuid', () => {
	it('reads the raw bytes of a Buffer (ldapts with objectGUID as a buffer attribute)', () => {
		expect(adGuid(Buffer.from(GUID_BYTES))).toBe(GUID);
	});
	it('reads a Uint8Array, a byte array and a JSON-serialised Buffer', () => {
		expect(adGuid(new Uint8Array(GUID_BYTES))).toBe(GUID);
		expect(adGuid(GUID_BYTES)).toBe(GUID);
		expect(adGuid(JSON.parse(JSON.stringify(Buffer.from(GUID_BYTES))))).toBe(GUID);
	});
	it("reads the hex string n8n's LDAP node returns for objectGUID (Buffer.toString('hex'))", () => {
		expect(adGuid(Buffer.from(GUID_BYTES).toString('hex'))).toBe(GUID);
		expect(adGuid('e004253f894fd3119a0c0305e82c3301')).toBe(GUID);
	});
	it('reads base64 of the raw bytes (ldapsearch objectGUID:: line, HR exports)', () => {
		expect(adGuid('4AQlP4lP0xGaDAMF6CwzAQ==')).toBe(GUID);
	});
	it('reads LDAP-escaped bytes and an already canonical GUID in any case, with braces', () => {
		expect(adGuid('\\e0\\04\\25\\3f\\89\\4f\\d3\\11\\9a\\0c\\03\\05\\e8\\2c\\33\\01')).toBe(GUID);
		expect(adGuid('{3F2504E0-4F89-11D3-9A0C-0305E82C3301}')).toBe(GUID);
		expect(adGuid([GUID.toUpperCase()])).toBe(GUID);
	});
	it('passes nothing through and refuses what is not a GUID', () => {
		expect(adGuid(undefined)).toBeUndefined();
		expect(adGuid(null)).toBeUndefined();
		expect(() => adGuid('not-a-guid')).toThrow(HelperError);
		expect(() => adGuid(Buffer.from([1, 2, 3]))).toThrow(/16 bytes/);
	});
});

describe('$fileTimeToIso', () => {
	it('converts AD FILETIME strings and numbers', () => {
		expect(fileTimeToIso('133497696000000000')).toBe('2024-01-15T05:20:00.000Z');
		expect(fileTimeToIso(['133520832000000000'])).toBe('2024-02-11T00:00:00.000Z');
		expect(fileTimeToIso(133520832000000000)).toBe('2024-02-11T00:00:00.000Z');
	});
	it('treats 0 and 9223372036854775807 as never (null)', () => {
		expect(fileTimeToIso('0')).toBeNull();
		expect(fileTimeToIso('9223372036854775807')).toBeNull();
		expect(fileTimeToIso(undefined)).toBeUndefined();
	});
	it('refuses text that is not a FILETIME', () => {
		expect(() => fileTimeToIso('2024-01-01')).toThrow(/FILETIME/);
	});
});

describe('$generalizedTimeToIso', () => {
	it('converts whenCreated-style values', () => {
		expect(generalizedTimeToIso('20240131120000.0Z')).toBe('2024-01-31T12:00:00.000Z');
		expect(generalizedTimeToIso('20240131120000Z')).toBe('2024-01-31T12:00:00.000Z');
		expect(generalizedTimeToIso('20240131120000+0100')).toBe('2024-01-31T11:00:00.000Z');
		expect(generalizedTimeToIso('202401311230.5Z')).toBe('2024-01-31T12:30:30.000Z');
	});
	it('refuses impossible dates', () => {
		expect(() => generalizedTimeToIso('20240231120000Z')).toThrow(/not a valid date/);
		expect(() => generalizedTimeToIso('yesterday')).toThrow(/generalized time/);
	});
});

describe('$adDisabled / $adExpired', () => {
	it('reads the ACCOUNTDISABLE bit of userAccountControl', () => {
		expect(adDisabled('512')).toBe(false); // NORMAL_ACCOUNT
		expect(adDisabled('514')).toBe(true); // NORMAL_ACCOUNT | ACCOUNTDISABLE
		expect(adDisabled(66050)).toBe(true); // + DONT_EXPIRE_PASSWORD
		expect(adDisabled(['66048'])).toBe(false);
		expect(adDisabled(undefined)).toBeUndefined();
		expect(() => adDisabled('enabled')).toThrow(/userAccountControl/);
	});
	it('compares accountExpires with now; never-expiring accounts are not expired', () => {
		const clock = () => new Date('2024-06-01T00:00:00Z');
		expect(adExpired('133497696000000000', undefined, clock)).toBe(true);
		expect(adExpired('134116956000000000', undefined, clock)).toBe(false); // 2025-12-31T23:00Z
		expect(adExpired('9223372036854775807', undefined, clock)).toBe(false);
		expect(adExpired('0', undefined, clock)).toBe(false);
		expect(adExpired('134116956000000000', '2026-01-01T00:00:00Z', clock)).toBe(true);
	});
});

describe('$leaveDatePassed / $toIsoDate', () => {
	// 23:30 UTC on 1 March is already 2 March in Amsterdam.
	const clock = () => new Date('2024-03-01T23:30:00Z');
	it('compares the leave date with today in the given IANA zone', () => {
		expect(leaveDatePassed('2024-03-01', 'Europe/Amsterdam', clock)).toBe(true);
		expect(leaveDatePassed('2024-03-01', 'UTC', clock)).toBe(false);
		expect(leaveDatePassed('2024-03-02', 'Europe/Amsterdam', clock)).toBe(false); // the leave day itself
	});
	it('reads Dutch day-first dates and treats an empty leave date as not passed', () => {
		expect(leaveDatePassed('29-02-2024', 'Europe/Amsterdam', clock)).toBe(true);
		expect(leaveDatePassed('31/12/2024', 'Europe/Amsterdam', clock)).toBe(false);
		expect(leaveDatePassed('', 'Europe/Amsterdam', clock)).toBe(false);
		expect(leaveDatePassed(null, 'Europe/Amsterdam', clock)).toBe(false);
	});
	it('refuses unknown zones and unreadable dates', () => {
		expect(() => leaveDatePassed('2024-03-01', 'Mars/Olympus', clock)).toThrow(/unknown time zone/);
		expect(() => leaveDatePassed('31-02-2024', 'UTC', clock)).toThrow(/as a date/);
	});
	it('normalises dates', () => {
		expect(toIsoDate('1-2-2024', 'UTC')).toBe('2024-02-01');
		expect(toIsoDate('2024-01-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2024-02-01');
		expect(toIsoDate('20240131120000.0Z', 'UTC')).toBe('2024-01-31');
	});
});

describe('text helpers', () => {
	it('$normalizeEmail trims, lower-cases and validates', () => {
		expect(normalizeEmail('  J.Jansen@Acme.NL ')).toBe('j.jansen@acme.nl');
		expect(normalizeEmail('mailto:Info@acme.nl')).toBe('info@acme.nl');
		expect(normalizeEmail('')).toBeUndefined();
		expect(() => normalizeEmail('jan at acme.nl')).toThrow(/not a valid e-mail/);
		expect(() => normalizeEmail('jan@acme')).toThrow(/not a valid e-mail/);
	});
	it('$nameCase keeps Dutch particles lower case inside a name', () => {
		expect(nameCase('JAN VAN DER BERG')).toBe('Jan van der Berg');
		expect(nameCase('jan-willem de vries')).toBe('Jan-Willem de Vries');
		expect(nameCase("PIETER VAN 'T HOF")).toBe("Pieter van 't Hof");
		expect(nameCase('anna ten  brink')).toBe('Anna ten Brink');
		expect(nameCase("sean o'neill")).toBe("Sean O'Neill");
		// Typographic apostrophes, as real HR exports write them.
		expect(nameCase('NIELS IN ’T BOS')).toBe('Niels in ’t Bos');
		expect(nameCase('in ’t bos', true)).toBe('in ’t Bos');
		expect(nameCase('anna d’ancona')).toBe('Anna d’Ancona');
		expect(nameCase("d'ancona")).toBe("D'Ancona");
	});
	// Issue 25: on a family name alone the Dutch convention (a family name following a given name, as Plek shows
	// name.familyName) keeps the leading particle lower case by default; false asks for the capital of a name alone.
	it('$nameCase keeps a leading particle lower case unless asked to capitalise it', () => {
		expect(nameCase('van der berg')).toBe('van der Berg');
		expect(nameCase('VAN DER BERG', true)).toBe('van der Berg');
		expect(nameCase('van der berg', false)).toBe('Van der Berg');
		expect(nameCase('VAN DAMME', false)).toBe('Van Damme');
		// A particle that is the whole name, or its last word, is a name and capitalised.
		expect(nameCase('van')).toBe('Van');
		expect(nameCase('jan van')).toBe('Jan Van');
	});
	it('$initials, $joinNonEmpty, $ldapFirst', () => {
		expect(initials('Jan Pieter')).toBe('J.P.');
		expect(initials('jan-willem van')).toBe('J.W.');
		expect(joinNonEmpty(['Jan', '', null, ' van der ', 'Berg'])).toBe('Jan van der Berg');
		expect(joinNonEmpty(['a', ['b', '']], ', ')).toBe('a, b');
		expect(ldapFirst(['x', 'y'])).toBe('x');
		expect(ldapFirst('x')).toBe('x');
		expect(ldapFirst([])).toBeUndefined();
	});
	it('$toBool reads yes/no the way HR exports write it', () => {
		for (const yes of ['ja', 'Ja', 'J', 'yes', 'Y', '1', 'true', 'TRUE', 'actief', 'x', 1, true]) expect(toBool(yes)).toBe(true);
		for (const no of ['nee', 'N', 'no', '0', 'false', 'inactief', '', 0, false]) expect(toBool(no)).toBe(false);
		expect(toBool(undefined)).toBeUndefined();
		expect(() => toBool('misschien')).toThrow(/yes\/no/);
	});
	it('$dnToCn and $memberOf read memberOf DNs', () => {
		const dns = ['CN=Care\\, Nursing,OU=Groups,DC=acme,DC=nl', 'CN=All staff,OU=Groups,DC=acme,DC=nl'];
		expect(dnToCn(dns[0])).toBe('Care, Nursing');
		expect(dnToCn(dns)).toEqual(['Care, Nursing', 'All staff']);
		expect(memberOf(dns, 'all STAFF')).toBe(true);
		expect(memberOf(dns, 'CN=All staff, OU=Groups,DC=acme,DC=nl')).toBe(true);
		expect(memberOf(dns, 'Finance')).toBe(false);
		expect(memberOf(undefined, 'Finance')).toBe(false);
	});
});
