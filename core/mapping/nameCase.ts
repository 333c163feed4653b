// Name casing with Dutch particles, used by the $nameCase helper (helpers.ts) and the Dutch-name composer
// (dutchNames.ts), which helpers.ts registers as $dutchName: a module of its own so neither imports the other.
import { HelperError } from './errors';
import { describe, isMissing, ldapFirst } from './values';

/** Dutch (and a few neighbouring) surname particles ("tussenvoegsels"); lower case inside a full name. */
export const NAME_PARTICLES = new Set([
	'van', 'von', 'der', 'den', 'de', 'het', "'t", 'ten', 'ter', 'te', 'op', 'in', 'aan', 'bij', 'uit', 'voor',
	'onder', 'over', 'tot', 'la', 'le', 'les', 'du', 'des', "d'", 'di', 'da', 'del', 'della', 'dos', 'das', 'zu',
	'zum', 'zur', "l'",
]);

/** HR systems write 't and d' with typographic apostrophes (’ ‘) or backticks as often as with '. */
const apostrophesToAscii = (word: string) => word.replace(/[’‘`´]/g, "'");

export const isParticle = (word: string) => NAME_PARTICLES.has(apostrophesToAscii(word.toLowerCase()));

const capitalise = (word: string) =>
	// Capitalise each part of hyphenated and apostrophe names: jan-willem -> Jan-Willem, o'neill -> O'Neill.
	word.replace(/(^|[-'’‘`])(\p{L})/gu, (_all, sep: string, letter: string) => sep + letter.toUpperCase());

/**
 * Name casing with Dutch particles: `JAN VAN DER BERG` -> `Jan van der Berg`, `jan-willem de vries` ->
 * `Jan-Willem de Vries`. A particle at the very start stays lower case too (`van der berg` -> `van der Berg`): the
 * Dutch convention for a family name that follows a given name, which is how Plek shows name.familyName.
 * `lowerLeadingParticles` false capitalises it (`Van der Berg`: a surname written alone, a sort name, Belgian names).
 */
export function nameCase(value: unknown, lowerLeadingParticles?: unknown): string | undefined {
	const single = ldapFirst(value);
	if (isMissing(single)) return undefined;
	if (typeof single !== 'string') throw new HelperError(`$nameCase: expected text, got ${describe(single)}`);
	const words = single.trim().split(/\s+/).filter((w) => w !== '');
	return words
		.map((raw, index) => {
			const word = raw.toLowerCase();
			const particle = isParticle(word);
			if (particle && (index > 0 || lowerLeadingParticles !== false) && index < words.length - 1) return word;
			// 't (het) is never capitalised, whatever apostrophe the source uses.
			if (apostrophesToAscii(word) === "'t") return word;
			// A glued particle inside a name stays lower case: d'Ancona, l'Ecluse.
			if (index > 0 && /^[dl]['’‘`]\p{L}/u.test(word)) return word.slice(0, 2) + capitalise(word.slice(2));
			return capitalise(word);
		})
		.join(' ');
}
