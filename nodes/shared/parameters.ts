// Reading a node's parameters through its own description: the description's defaults are the one source of the
// node's defaults, its option values the one list of accepted choices, and its display names what a refusal names.
// Free of the execution context, so each node's params.ts is a pure function of the raw values and testable alone.
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

/** A parameter the node refuses before any request: which one, what is wrong and what to do. */
export class ParameterProblem extends Error {
	constructor(
		/** The parameter as the editor shows it ("Options › Time Zone"). */
		readonly parameter: string,
		message: string,
		readonly whatToDo?: string,
	) {
		super(message);
		this.name = 'ParameterProblem';
	}
}

type Child = INodePropertyOptions | INodeProperties | INodePropertyCollection;

const isProperty = (child: Child): child is INodeProperties => 'type' in child && 'default' in child;

/** The properties of a description by name, collection children as `collection.child` (first one wins). */
export function propertiesByPath(properties: readonly INodeProperties[]): ReadonlyMap<string, INodeProperties> {
	const byPath = new Map<string, INodeProperties>();
	for (const property of properties) {
		if (!byPath.has(property.name)) byPath.set(property.name, property);
		if (property.type !== 'collection') continue;
		for (const child of property.options ?? []) {
			const path = `${property.name}.${(child as { name: string }).name}`;
			if (isProperty(child) && !byPath.has(path)) byPath.set(path, child);
		}
	}
	return byPath;
}

/** The parameters of one description: defaults, labels and the values an options parameter accepts. */
export class ParameterSchema {
	private readonly byPath: ReadonlyMap<string, INodeProperties>;

	constructor(properties: readonly INodeProperties[]) {
		this.byPath = propertiesByPath(properties);
	}

	private property(path: string): INodeProperties {
		const property = this.byPath.get(path);
		// A programming error (a name not in the description), never a user's: fail loudly in tests.
		if (!property) throw new Error(`No parameter "${path}" in the node description`);
		return property;
	}

	/** The description's default of a parameter (`options.concurrency` for a collection entry). */
	defaultOf(path: string): unknown {
		return this.property(path).default;
	}

	/** The parameter as the editor names it: "Create Users", or "Options › Time Zone" inside a collection. */
	label(path: string): string {
		const dot = path.indexOf('.');
		if (dot === -1) return this.property(path).displayName;
		return `${this.property(path.slice(0, dot)).displayName} › ${this.property(path).displayName}`;
	}

	/** The values an options parameter accepts. */
	choices(path: string): string[] {
		return (this.property(path).options ?? []).map((option) => String((option as INodePropertyOptions).value));
	}
}

/** A boolean parameter: its value, the description's default when absent; any other type is refused. */
export function readFlag(schema: ParameterSchema, path: string, value: unknown): boolean {
	if (value === undefined || value === null) return schema.defaultOf(path) as boolean;
	if (typeof value === 'boolean') return value;
	throw new ParameterProblem(schema.label(path), `${schema.label(path)} must be true or false, got ${describe(value)}`, 'Set the switch, or make the expression return true or false.');
}

/** An options parameter: one of the description's values, its default when absent; anything else is refused. */
export function readChoice<T extends string>(schema: ParameterSchema, path: string, value: unknown): T {
	if (value === undefined || value === null || value === '') return schema.defaultOf(path) as T;
	const choices = schema.choices(path);
	if (typeof value === 'string' && choices.includes(value)) return value as T;
	throw new ParameterProblem(schema.label(path), `${schema.label(path)} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${describe(value)}`, 'Choose one of the listed values.');
}

/** A number parameter: its value when it is a number, else the description's default (a limit never becomes NaN). */
export function readNumber(schema: ParameterSchema, path: string, value: unknown): number {
	return typeof value === 'number' && !Number.isNaN(value) ? value : (schema.defaultOf(path) as number);
}

/** A collection parameter's value as an object (absent or malformed: empty). */
export function readCollection(value: unknown): Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A short, safe rendering of a refused value for a message. */
export function describe(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
	if (value === null || typeof value !== 'object') return String(value);
	return Array.isArray(value) ? 'a list' : 'an object';
}

/** Comma-separated text as trimmed, non-empty entries. */
export function splitList(value: unknown): string[] {
	return (typeof value === 'string' ? value : '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}
