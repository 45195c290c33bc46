/** A CloudFormation template, as JSON (`any`: CloudFormation's shape, kept readable in assertions). */
export type Template = {
  Resources: Record<string, any>;
  Outputs: Record<string, any>;
  Conditions?: Record<string, unknown>;
};

/**
 * The template as CloudFormation deploys it: its conditions evaluated (the `Fn::Equals`,
 * `Fn::Not`, `Fn::And`, `Fn::Or` of constants that serverless.yml's params leave), each
 * `Fn::If` replaced by its branch, `Ref: AWS::NoValue` dropped from objects and lists, and
 * resources and outputs whose condition is false left out.
 */
export function deployedForm(template: Template): Template {
  const conditions = new Map<string, boolean>();
  const truth = (name: string): boolean => {
    if (!conditions.has(name)) {
      const definition = template.Conditions?.[name];
      if (definition === undefined) throw new Error(`no condition ${name}`);
      conditions.set(name, evaluate(definition, truth));
    }
    return conditions.get(name)!;
  };
  const noValue = Symbol('AWS::NoValue');
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve).filter((item) => item !== noValue);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if (object.Ref === 'AWS::NoValue') return noValue;
    if ('Fn::If' in object) {
      const [name, yes, no] = object['Fn::If'] as [string, unknown, unknown];
      return resolve(truth(name) ? yes : no);
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(object)) {
      const result = resolve(inner);
      if (result !== noValue) resolved[key] = result;
    }
    return resolved;
  };
  const kept = (section: Record<string, any> = {}) =>
    Object.fromEntries(
      Object.entries(section)
        .filter(([, entry]) => entry.Condition === undefined || truth(entry.Condition))
        .map(([id, entry]) => [id, resolve(entry)]),
    );
  return { Resources: kept(template.Resources), Outputs: kept(template.Outputs) };
}

function evaluate(definition: unknown, truth: (name: string) => boolean): boolean {
  const [[fn, args]] = Object.entries(definition as Record<string, unknown[]>) as [[string, unknown[]]];
  const operand = (arg: unknown) =>
    typeof arg === 'object' && arg !== null && 'Condition' in arg
      ? truth((arg as { Condition: string }).Condition)
      : evaluate(arg, truth);
  switch (fn) {
    case 'Fn::Equals': {
      const [a, b] = args;
      if (typeof a !== 'string' || typeof b !== 'string')
        throw new Error(`Fn::Equals of non-constants: ${JSON.stringify(args)}`);
      return a === b;
    }
    case 'Fn::Not':
      return !operand(args[0]);
    case 'Fn::And':
      return args.every(operand);
    case 'Fn::Or':
      return args.some(operand);
    default:
      throw new Error(`cannot evaluate ${fn}`);
  }
}
