// isValidEmail checks ASCII addresses with an ASCII-only copy of its regex instead of the Unicode one (speed,
// core/record's hottest check); the two must agree on every text. Deterministic pseudo-random texts over the characters that matter.
import { isValidEmail, matchesEmailPattern } from '../../core/mapping/helpers';

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

describe('isValidEmail: the ASCII scan and the regex agree', () => {
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
