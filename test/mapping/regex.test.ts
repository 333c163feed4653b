// Runaway regular expressions: JSONata regexes run on a linear-time engine (RE2JS), so the catastrophic patterns
// that backtrack for minutes on a native RegExp finish within the record's budget with an answer or a clear error.
import { compileMapping, evaluateExpression, mapRecord, MappingCompileError } from '../../core/mapping';

const timed = async <T>(run: () => Promise<T>): Promise<{ value?: T; error?: Error; ms: number }> => {
	const started = Date.now();
	try {
		const value = await run();
		return { value, ms: Date.now() - started };
	} catch (error) {
		return { error: error as Error, ms: Date.now() - started };
	}
};

describe('linear-time regular expressions', () => {
	// Each of these blocks a native RegExp for minutes (the first: 15 s at 28 "a"s, doubling with each one).
	const catastrophic: Array<[string, string, unknown]> = [
		['$match(x, /(a+)+$/) ? "m" : "n"', 'a'.repeat(5000) + 'b', 'n'],
		['$contains(x, /(a|aa)*b/)', 'a'.repeat(5000), false],
		['$contains(x, /(.*a){20}/)', 'a'.repeat(2000), true],
		['$contains(x, /(.*a){20}/)', 'ab'.repeat(500) + 'c', true],
		['$contains(x, /^(\\w+\\s?)*$/)', 'word '.repeat(1000) + '!', false],
	];
	it.each(catastrophic)('%s on a long text answers correctly within the budget', async (expression, x, expected) => {
		const result = await timed(() => evaluateExpression(expression, { x }, { timeoutMs: 1000 }));
		expect(result.error).toBeUndefined();
		expect(result.value).toBe(expected);
		expect(result.ms).toBeLessThan(1000);
	});

	it('a match too costly for the remaining budget is refused before it starts, naming the pattern and the budget', async () => {
		const result = await timed(() => evaluateExpression('$contains(x, /(.*a){20}/)', { x: 'a'.repeat(1_000_000) }, { timeoutMs: 1000 }));
		expect(result.error?.message).toMatch(/regular expression \/\(\.\*a\)\{20\}\/ on a text of 1000000 characters could take longer than/);
		expect(result.error?.message).toMatch(/Timeout per Record/);
		expect(result.ms).toBeLessThan(1000);
	});

	it('in the Mapper the runaway pattern fails only that record, naming the field', async () => {
		const mapping = compileMapping(
			{
				key: 'id',
				userName: 'mail',
				profile: [{ path: 'title', expression: '$contains(t, /(.*a){20}/) ? "x" : "y"' }],
			},
			{ timeoutMs: 500 },
		);
		const bad = await mapRecord(mapping, { id: '1', mail: 'a@example.com', t: 'a'.repeat(1_000_000) });
		expect(bad).toMatchObject({ ok: false, field: 'profile.title' });
		expect(!bad.ok && bad.reason).toMatch(/profile field title: bounded evaluation: the regular expression/);
		const good = await mapRecord(mapping, { id: '2', mail: 'b@example.com', t: 'a'.repeat(100) });
		expect(good).toMatchObject({ ok: true, record: { profile: { title: 'x' } } });
	});

	it('a pattern that only $eval parses (no regex literal in the rule) is bounded by the record deadline too', async () => {
		const mapping = compileMapping(
			{ key: 'id', userName: 'mail', profile: [{ path: 'title', expression: '$eval(pattern, $) ? "x" : "y"' }] },
			{ timeoutMs: 500 },
		);
		const bad = await mapRecord(mapping, { id: '1', mail: 'a@example.com', t: 'a'.repeat(1_000_000), pattern: '$contains(t, /(.*a){20}/)' });
		expect(!bad.ok && bad.reason).toMatch(/^profile field title: .*bounded evaluation: the regular expression \/\(\.\*a\)\{20\}\/ on a text of 1000000 characters/);
	});

	const plain = (value: unknown) => (Array.isArray(value) ? [...value] : value);
	it('keeps JSONata regex semantics: groups, flags, $replace, $split, all matches, unmatched groups', async () => {
		expect(plain(await evaluateExpression('$match("Jan Jansen", /(\\w+) (\\w+)/).groups', {}))).toEqual(['Jan', 'Jansen']);
		expect(plain(await evaluateExpression('$match("a1b22c333", /\\d+/).match', {}))).toEqual(['1', '22', '333']);
		expect(plain(await evaluateExpression('$match("a1b22", /\\d+/).index', {}))).toEqual([1, 3]);
		expect(await evaluateExpression('$replace("Van Der Berg", /van der/i, "van der")', {})).toBe('van der Berg');
		expect(await evaluateExpression('$replace("2024-01-31", /(\\d+)-(\\d+)-(\\d+)/, "$3.$2.$1")', {})).toBe('31.01.2024');
		expect(plain(await evaluateExpression('$split("a, b,c", /,\\s*/)', {}))).toEqual(['a', 'b', 'c']);
		expect(await evaluateExpression('$contains("line1\\nline2", /^line2$/m)', {})).toBe(true);
		expect(await evaluateExpression('$contains("line1\\nline2", /^line2$/)', {})).toBe(false);
		expect(plain(await evaluateExpression('$match("ab", /a(x)?b/).groups', {}))).toEqual([undefined]);
		expect(await evaluateExpression('$match("😀é", /é/).index', {})).toBe(2);
		expect(plain(await evaluateExpression('$match("ab", /(?<first>a)b/).groups', {}))).toEqual(['a']);
	});

	it('refuses syntax the engine does not support when the mapping is compiled, naming the expression and the position', () => {
		for (const pattern of ['/(a)\\1/', '/a(?=b)/', '/a(?!b)/', '/(?<=a)b/', '/a{1,2000}/']) {
			const compile = () => compileMapping({ key: `$match(id, ${pattern}).match`, userName: 'mail' });
			expect(compile).toThrow(MappingCompileError);
			expect(compile).toThrow(/mapping key at position \d+: the regular expression .* uses syntax the linear-time engine does not support/);
		}
	});

	it('a regex built at run time by $eval with unsupported syntax fails that evaluation with the same explanation', async () => {
		await expect(evaluateExpression('$eval("$contains(\\"aa\\", /(a)\\\\1/)")', {})).rejects.toThrow(/does not support/);
	});
});
