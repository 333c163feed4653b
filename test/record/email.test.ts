// isValidEmail checks ASCII addresses with an ASCII-only copy of its regex instead of the Unicode one (speed,
// core/record's hottest check); the two must agree on every text. Deterministic pseudo-random texts over the characters that matter.
import { isPlainAsciiEmail, isValidEmail, matchesEmailPattern } from '../../core/mapping/helpers';
import { userNameProblem } from '../../core/record/rules';

/** What isValidEmail means: the length limits, then the Unicode regex. */
function byPattern(value: string): boolean {
	const at = value.lastIndexOf('@');
	return value.length <= 254 && at > 0 && at <= 64 && matchesEmailPattern(value);
}

function generator(seed: number) {
	let state = seed;
	return (n: number) => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return Math.floor(state / 65536) % n;
	};
}

const ALPHABET = ['a', 'Z', '0', '9', '.', '.', '@', '-', '-', '_', '+', "'", '!', '~', '`', ' ', '"', '(', ']', ':', 'é', 'ß', '\u00a0', 'x', 'o', 'm'];

describe('isValidEmail: the ASCII regex and the Unicode regex agree', () => {
	test.each([
		'jan@acme.nl',
		'jan.de.vries@mail.acme.example',
		"o'brien+tag@x-y.co",
		'a@b.cd',
		'a@b.c',
		'a@b.c1',
		'.a@b.cd',
		'a.@b.cd',
		'a..b@b.cd',
		'a@-b.cd',
		'a@b-.cd',
		'a@b..cd',
		'a@.cd',
		'a@cd',
		'@b.cd',
		'a@b.cd.',
		'a@b@c.de',
		'a b@c.de',
		'jöhn@acme.nl',
		'john@acme.ñl',
		'john@xn--acme-9qa.nl',
		`${'a'.repeat(64)}@b.cd`,
		`${'a'.repeat(65)}@b.cd`,
		`a@${'b'.repeat(250)}.cd`,
	])('%s', (value) => {
		expect(isValidEmail(value)).toBe(byPattern(value));
	});

	test('20,000 generated texts (about a quarter of them valid)', () => {
		const next = generator(42);
		let valid = 0;
		for (let n = 0; n < 20000; n++) {
			// A plausible skeleton (local @ label . label . tld) with random characters mixed in.
			const part = (max: number) => Array.from({ length: 1 + next(max) }, () => (next(6) === 0 ? ALPHABET[next(ALPHABET.length)] : 'abc'[next(3)])).join('');
			const value = `${part(6)}${next(8) === 0 ? '' : '@'}${part(5)}${next(6) === 0 ? '' : '.'}${part(4)}${next(3) === 0 ? '.' + part(3) : ''}`;
			const expected = byPattern(value);
			if (expected) valid++;
			if (isValidEmail(value) !== expected) throw new Error(`disagree on ${JSON.stringify(value)}: pattern says ${expected}`);
		}
		expect(valid).toBeGreaterThan(2000);
		expect(valid).toBeLessThan(18000);
	});
});

describe("isPlainAsciiEmail: userNameProblem's one-regex shortcut", () => {
	// The shortcut may only accept what the full checks accept, and must accept every valid ASCII address.
	test('20,000 generated texts: accepted exactly when ASCII and valid; never one the full userName checks refuse', () => {
		const next = generator(7);
		let accepted = 0;
		for (let n = 0; n < 20000; n++) {
			const part = (max: number) => Array.from({ length: 1 + next(max) }, () => (next(5) === 0 ? ALPHABET[next(ALPHABET.length)] : 'xyz'[next(3)])).join('');
			const value = `${part(6)}${next(8) === 0 ? '' : '@'}${part(5)}${next(6) === 0 ? '' : '.'}${part(4)}`;
			const ascii = !/[\u0080-\uffff]/.test(value);
			const expected = ascii && byPattern(value);
			if (isPlainAsciiEmail(value) !== expected) throw new Error(`isPlainAsciiEmail(${JSON.stringify(value)}) should be ${expected}`);
			if (expected) {
				accepted++;
				expect(userNameProblem(value, 2048)).toBeUndefined();
			}
		}
		expect(accepted).toBeGreaterThan(1000);
	});

	test('the length limits still apply: a longer text than the limit, a 65-character local part', () => {
		expect(userNameProblem('jan@acme.nl', 5)).toMatch(/longer than 5 characters/);
		expect(isPlainAsciiEmail(`${'a'.repeat(65)}@b.cd`)).toBe(false);
		expect(isPlainAsciiEmail(`a@${'b'.repeat(251)}.cd`)).toBe(false);
		expect(isPlainAsciiEmail('jan\t@acme.nl')).toBe(false);
	});
});
