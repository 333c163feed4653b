// A small checker for the subset of JSON Schema (2020-12) that docs/plek-user-record.schema.json uses:
// type (one or a list), required, properties, additionalProperties, items, minLength, maxLength, pattern, uniqueItems.
// The repo has no 2020-12-capable validator installed (ajv here is 6.x, draft-07 only).
type Schema = {
	type?: string | string[];
	required?: string[];
	properties?: Record<string, Schema>;
	additionalProperties?: boolean | Schema;
	items?: Schema;
	minLength?: number;
	maxLength?: number;
	pattern?: string;
	uniqueItems?: boolean;
};

const KNOWN = new Set([
	'$schema', '$id', 'title', 'description', 'type', 'required', 'properties', 'additionalProperties', 'items',
	'minLength', 'maxLength', 'pattern', 'uniqueItems',
]);

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

export function checkSchema(schema: Schema, value: unknown, at = '$'): string[] {
	const errors: string[] = [];
	for (const keyword of Object.keys(schema)) {
		if (!KNOWN.has(keyword)) errors.push(`${at}: schema keyword ${keyword} is not supported by this checker`);
	}
	if (schema.type !== undefined) {
		const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
		const actual = typeOf(value);
		if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) {
			return [...errors, `${at}: expected ${allowed.join('|')}, got ${actual}`];
		}
	}
	if (typeof value === 'string') {
		if (schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
		if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
		if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
	}
	if (Array.isArray(value)) {
		if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
			errors.push(`${at}: items are not unique`);
		}
		if (schema.items) value.forEach((item, i) => errors.push(...checkSchema(schema.items!, item, `${at}[${i}]`)));
	}
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const object = value as Record<string, unknown>;
		for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${at}: ${name} is required`);
		for (const [name, child] of Object.entries(object)) {
			const propertySchema = schema.properties?.[name];
			if (propertySchema) errors.push(...checkSchema(propertySchema, child, `${at}.${name}`));
			else if (schema.additionalProperties === false) errors.push(`${at}: ${name} is not allowed`);
			else if (typeof schema.additionalProperties === 'object') {
				errors.push(...checkSchema(schema.additionalProperties, child, `${at}[${JSON.stringify(name)}]`));
			}
		}
	}
	return errors;
}
