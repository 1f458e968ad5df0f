// Typed task configs (pex_config model). Public API:
//   defineConfig(name, doc, fields, {validate, setDefaults}) → ConfigClass; cls.make(overrides?) → Config
//   f.bool/int/float/string/choice/list/dict({doc, default, ...}), configField(cls, doc), subtaskField(Task, doc)
//   config.freeze(), .set(path, v), .get(path), .apply(obj, source), .applyYaml(text, source),
//   .applyKeyValue('a.b=c'), .toYaml(), .toPlain(), .diff(other?), .retarget(name, task), .copy()
//   configJsonSchema(cls) → JSON Schema for the GUI form.
export * from './errors.js';
export * from './fields.js';
export * from './config.js';
