// Group names: ONE normalisation for every comparison (NFC, trim, lower-case), and the names the Sync refuses to
// write to - a name a person could not tell apart from another: invisible or bidi characters, a space other than
// the plain one, a compatibility look-alike (the Kelvin sign), letters from two scripts (Cyrillic `а` in a Latin
// name), or a name whose UTS #39 skeleton equals an existing group's (`Аdmins` beside `Admins`, `0ps` beside `Ops`).
// The skeleton map is Unicode's confusables table (the unhomoglyph package, bundled into dist like jsonata).
import unhomoglyph from 'unhomoglyph';

/** The one normalisation: NFC, trimmed, lower-case. Two names are the same group iff these are equal. */
export function normaliseGroupName(name: string): string {
	return name.normalize('NFC').trim().toLowerCase();
}

/** Format characters (zero-width, bidi controls, BOM, tags), Hangul fillers and every space but U+0020. */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0]/u;

/** Invisible combining marks (grapheme joiner, Khmer inherent vowels, variation selectors): a code point test, since
 * a regex class of combining marks reads as misleading. */
function invisibleMark(name: string): string | undefined {
	for (const char of name) {
		const cp = char.codePointAt(0) as number;
		if (cp === 0x34f || cp === 0x17b4 || cp === 0x17b5 || (cp >= 0x180b && cp <= 0x180f) || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return char;
	}
	return undefined;
}

/** Scripts named for the mixed-script rule; a letter of any other script counts as "other". */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
	['Latin', /\p{Script=Latin}/u],
	['Cyrillic', /\p{Script=Cyrillic}/u],
	['Greek', /\p{Script=Greek}/u],
	['Han', /\p{Script=Han}/u],
	['Hiragana', /\p{Script=Hiragana}/u],
	['Katakana', /\p{Script=Katakana}/u],
	['Hangul', /\p{Script=Hangul}/u],
	['Bopomofo', /\p{Script=Bopomofo}/u],
	['Arabic', /\p{Script=Arabic}/u],
	['Hebrew', /\p{Script=Hebrew}/u],
	['Armenian', /\p{Script=Armenian}/u],
	['Georgian', /\p{Script=Georgian}/u],
];
const NOT_SCRIPT_SPECIFIC = /[\p{Script=Common}\p{Script=Inherited}]/u;

/** Script mixes UTS #39 allows (Highly Restrictive): Latin with the CJK scripts a Japanese, Chinese or Korean name uses. */
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<string>> = [
	new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
	new Set(['Latin', 'Han', 'Bopomofo']),
	new Set(['Latin', 'Han', 'Hangul']),
];

function scriptOf(char: string): string | undefined {
	if (NOT_SCRIPT_SPECIFIC.test(char)) return undefined;
	for (const [name, pattern] of SCRIPTS) if (pattern.test(char)) return name;
	return 'other';
}

/** The scripts of a name's letters, when they are more than one allowed set (undefined: one script, or an allowed mix). */
function mixedScripts(name: string): string[] | undefined {
	const scripts = new Set<string>();
	for (const char of name) {
		const script = scriptOf(char);
		if (script !== undefined) scripts.add(script);
	}
	if (scripts.size <= 1) return undefined;
	if (ALLOWED_MIXES.some((allowed) => [...scripts].every((s) => allowed.has(s)))) return undefined;
	return [...scripts];
}

/** A character NFC replaces on its own (Kelvin sign -> K, Ohm sign -> Omega, Greek question mark -> ;). */
function compatibilityLookAlike(name: string): string | undefined {
	for (const char of name) if (char.normalize('NFC') !== char) return char;
	return undefined;
}

const codePoint = (char: string) => `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a group name is refused (it could pass for another name), or undefined. Checked once per distinct name. */
export function groupNameProblem(name: string): string | undefined {
	const invisible = INVISIBLE.exec(name)?.[0] ?? invisibleMark(name);
	if (invisible !== undefined) return `it contains an invisible, bidi or non-standard space character (${codePoint(invisible)})`;
	const lookAlike = compatibilityLookAlike(name);
	if (lookAlike !== undefined) return `it contains the compatibility character ${codePoint(lookAlike)}, a look-alike of ${JSON.stringify(lookAlike.normalize('NFC'))}`;
	const scripts = mixedScripts(name.normalize('NFC'));
	if (scripts) return `it mixes letters of several scripts (${scripts.join(', ')})`;
	return undefined;
}

/** The UTS #39 skeleton of a normalised name: two names with one skeleton look the same. */
export function groupSkeleton(normalised: string): string {
	return unhomoglyph(normalised.normalize('NFD')).normalize('NFD').toLowerCase();
}
