// $dutchName: given, family, display and sort names from a first name or initials, prefix, last name, a partner's
// prefix and last name and the naamgebruik code, as AFAS, Youforce and Nmbrs store them.
import { evaluateExpression } from '../../core/mapping';
import { dutchName } from '../../core/mapping/dutchNames';

describe('$dutchName', () => {
	it.each([
		// code, expected family name, display name, sort name
		['B', 'van der Berg', 'Jan van der Berg', 'Van der Berg, Jan'],
		['', 'van der Berg', 'Jan van der Berg', 'Van der Berg, Jan'],
		['P', 'de Vries', 'Jan de Vries', 'De Vries, Jan'],
		['BP', 'van der Berg-de Vries', 'Jan van der Berg-de Vries', 'Van der Berg-de Vries, Jan'],
		['PB', 'de Vries-van der Berg', 'Jan de Vries-van der Berg', 'De Vries-van der Berg, Jan'],
		['E', 'van der Berg', 'Jan van der Berg', 'Van der Berg, Jan'],
		['N', 'van der Berg-de Vries', 'Jan van der Berg-de Vries', 'Van der Berg-de Vries, Jan'],
		['V', 'de Vries-van der Berg', 'Jan de Vries-van der Berg', 'De Vries-van der Berg, Jan'],
		['pb', 'de Vries-van der Berg', 'Jan de Vries-van der Berg', 'De Vries-van der Berg, Jan'],
	])('naamgebruik %j: %s', (code, familyName, displayName, sortName) => {
		expect(dutchName('JAN', 'VAN DER', 'BERG', 'de', 'vries', code)).toEqual({ givenName: 'Jan', familyName, displayName, sortName });
	});

	it('reads the digits AFAS and Youforce write (0 own, 1 partner-own, 2 partner, 3 own-partner) and Loket\'s texts', () => {
		const family = (code: unknown) => dutchName('Jan', 'van der', 'Berg', 'de', 'Vries', code)!.familyName;
		expect([0, 1, 2, 3].map(family)).toEqual(['van der Berg', 'de Vries-van der Berg', 'de Vries', 'van der Berg-de Vries']);
		expect(['0', '1', '2', '3'].map(family)).toEqual(['van der Berg', 'de Vries-van der Berg', 'de Vries', 'van der Berg-de Vries']);
		expect(family('last name partner + last name')).toBe('de Vries-van der Berg');
		expect(() => family(4)).toThrow(/unknown naamgebruik code '4'/);
	});

	it('uses the own name whatever the code when there is no partner name; particles stay lower after a hyphen', () => {
		expect(dutchName('Anna', '', 'Jansen', '', '', 'PB')).toMatchObject({ familyName: 'Jansen', displayName: 'Anna Jansen' });
		expect(dutchName('Anna', '', 'Jansen', 'van', "'t Hof", 'BP')).toMatchObject({ familyName: "Jansen-van 't Hof" });
		expect(dutchName('Anna', '', 'jansen', 'van', 'dam', 'PB')).toMatchObject({ familyName: 'van Dam-Jansen', sortName: 'Van Dam-Jansen, Anna' });
	});

	it('takes initials when there is no first name, and works without a prefix in its own column', () => {
		expect(dutchName('j.p.', 'van', 'dam')).toEqual({ givenName: 'J.P.', familyName: 'van Dam', displayName: 'J.P. van Dam', sortName: 'Van Dam, J.P.' });
		expect(dutchName('J P', '', 'Dam')).toMatchObject({ givenName: 'J.P.' });
		expect(dutchName('Jan Pieter', '', 'Dam')).toMatchObject({ givenName: 'Jan Pieter' });
		expect(dutchName('Jan', '', 'van der berg')).toMatchObject({ familyName: 'van der Berg' });
		expect(dutchName('', '', 'Dam')).toEqual({ givenName: undefined, familyName: 'Dam', displayName: 'Dam', sortName: 'Dam' });
		expect(dutchName(undefined, undefined, undefined)).toBeUndefined();
	});

	it('refuses an unknown code and values that are not text, naming them', () => {
		expect(() => dutchName('Jan', '', 'Dam', '', 'Vries', 'X')).toThrow("$dutchName: unknown naamgebruik code 'X' (use B, P, BP or PB; E, N or V; AFAS 0-3)");
		expect(() => dutchName('Jan', '', 42)).toThrow(/\$dutchName: the last name must be text, got 42/);
	});

	it('is a JSONata helper whose parts are read with a dot', async () => {
		const record = { Roepnaam: 'pieter', Voorvoegsel: 'van', Achternaam: 'DIJK', Voorvoegsel_partner: '', Naam_partner: 'Bakker', Naamgebruik: 'PB' };
		const call = '$dutchName(Roepnaam, Voorvoegsel, Achternaam, Voorvoegsel_partner, Naam_partner, Naamgebruik)';
		expect(await evaluateExpression(`${call}.familyName`, record)).toBe('Bakker-van Dijk');
		expect(await evaluateExpression(`${call}.displayName`, record)).toBe('Pieter Bakker-van Dijk');
	});
});
