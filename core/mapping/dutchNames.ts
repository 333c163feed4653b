// Dutch names as Dutch HR systems (AFAS, Youforce, Nmbrs) store them: a first name or initials, a prefix
// ("voorvoegsel", e.g. `van der`), a last name, a partner's prefix and last name, and the naamgebruik code that
// says which family name the person uses. Composed into Plek's given, family and display names.
import { HelperError } from './errors';
import { nameCase } from './nameCase';

/** How a person uses their own and their partner's name ("naamgebruik"). */
export type NameUse = 'own' | 'partner' | 'own-partner' | 'partner-own';

/**
 * Naamgebruik codes: B/P/BP/PB as the civil registry writes them (Basisregistratie Personen: eigen naam, partner,
 * eigen-partner, partner-eigen), E/P/N/V (eigen, partner, na = own then partner, voor = partner first), the digits
 * AFAS Profit and Youforce use, Loket.nl's texts, and the words themselves.
 */
const NAME_USE_CODES = new Map<string, NameUse>([
	['b', 'own'], ['e', 'own'], ['eigen', 'own'], ['own', 'own'],
	['p', 'partner'], ['partner', 'partner'],
	['bp', 'own-partner'], ['n', 'own-partner'], ['own-partner', 'own-partner'], ['eigen-partner', 'own-partner'],
	['pb', 'partner-own'], ['v', 'partner-own'], ['partner-own', 'partner-own'], ['partner-eigen', 'partner-own'],
	// AFAS Profit and Youforce write the code as a digit: 0 own, 1 partner-own, 2 partner's, 3 own-partner.
	['0', 'own'], ['1', 'partner-own'], ['2', 'partner'], ['3', 'own-partner'],
	// Loket.nl's howToFormatLastName texts (its key numbers 1-4 mean something else than AFAS's digits: use the text).
	['last name', 'own'], ['last name + last name partner', 'own-partner'], ['last name partner', 'partner'], ['last name partner + last name', 'partner-own'],
]);

export interface DutchName {
	/** The first name (roepnaam), or the initials when there is none: `Jan`, `J.P.`. */
	givenName?: string;
	/** The family name as it follows a given name, particles lower case: `van der Berg`, `de Vries-van der Berg`. */
	familyName?: string;
	/** Given name and family name: `Jan de Vries-van der Berg`. */
	displayName?: string;
	/** Family name first, its first letter capitalised (the start of a sort name): `De Vries-van der Berg, Jan`. */
	sortName?: string;
}

const text = (value: unknown, argument: string): string => {
	const single = Array.isArray(value) ? value[0] : value;
	if (single === undefined || single === null) return '';
	if (typeof single !== 'string') throw new HelperError(`$dutchName: ${argument} must be text, got ${JSON.stringify(single)}`);
	return single.trim();
};

/** Initials as written (`j.p.`, `J P`, `JP.`) -> `J.P.`; undefined when the text is not initials. */
function asInitials(value: string): string | undefined {
	// Single letters, each followed by a dot, a space or the end: `J.P.`, `J P`, `j.`; never `Jan` or `Jan Pieter`.
	if (!/^(?:\p{L}(?:\.\s*|\s+|$))+$/u.test(value)) return undefined;
	return [...value.replace(/[.\s]/g, '')].map((letter) => `${letter.toUpperCase()}.`).join('');
}

/** A family name from a prefix and a last name, as it follows a given name: particles lower case. */
function familyPart(prefix: string, last: string): string {
	const joined = [prefix, last].filter((part) => part !== '').join(' ');
	return joined === '' ? '' : (nameCase(joined, true) ?? '');
}

function nameUse(code: unknown): NameUse {
	const single = Array.isArray(code) ? code[0] : code;
	const written = (typeof single === 'number' ? String(single) : text(code, 'the naamgebruik code')).toLowerCase();
	if (written === '') return 'own';
	const use = NAME_USE_CODES.get(written);
	if (!use) throw new HelperError(`$dutchName: unknown naamgebruik code '${written.toUpperCase()}' (use B, P, BP or PB; E, N or V; AFAS 0-3)`);
	return use;
}

const capitaliseFirst = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/**
 * Composes given, family, display and sort names the Dutch way. `first` is the first name or the initials;
 * `code` is the naamgebruik (B own, P partner's, BP own-partner, PB partner-own; empty: own). Without a partner's
 * last name the person's own name is used whatever the code says.
 */
export function dutchName(first: unknown, prefix: unknown, last: unknown, partnerPrefix?: unknown, partnerLast?: unknown, code?: unknown): DutchName | undefined {
	const given = text(first, 'the first name');
	const own = familyPart(text(prefix, 'the prefix'), text(last, 'the last name'));
	const partner = familyPart(text(partnerPrefix, "the partner's prefix"), text(partnerLast, "the partner's last name"));
	const use = nameUse(code);
	const givenName = given === '' ? undefined : (asInitials(given) ?? nameCase(given));
	let familyName = own;
	if (partner !== '') {
		if (use === 'partner') familyName = partner;
		else if (use === 'own-partner') familyName = [own, partner].filter((p) => p !== '').join('-');
		else if (use === 'partner-own') familyName = [partner, own].filter((p) => p !== '').join('-');
	}
	if (givenName === undefined && familyName === '') return undefined;
	const displayName = [givenName, familyName].filter((p) => p !== undefined && p !== '').join(' ');
	const sortName = familyName === '' ? givenName : [capitaliseFirst(familyName), givenName].filter((p) => p !== undefined).join(', ');
	return { givenName, familyName: familyName === '' ? undefined : familyName, displayName, sortName };
}
