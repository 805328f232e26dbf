/**
 * The analysis context handed to every rule: the project model, the evaluator, the Flask model
 * with each route's analysis, the non-Python files that rules read (settings JSON, .env), and the
 * files scanned. Built once, in phases, before any rule runs; rules only read it.
 */

import type { RouteAnalysis } from "../concepts/route.js";
import type { FlaskModel, Route } from "../flask/model.js";
import type { SourceFile } from "../parse/types.js";
import type { Evaluator } from "../python/evaluate.js";
import type { Project } from "../python/project.js";

export interface TextFile {
  path: string;
  text: string;
}

export interface AnalysisContext {
  project: Project;
  ev: Evaluator;
  flask: FlaskModel;
  /** Per-route facts: credentials, defences, DynamoDB operations per method. */
  routes: Map<Route, RouteAnalysis>;
  /** Non-Python files read as text (JSON, .env, .cfg, requirements), by relative path. */
  textFiles: Map<string, TextFile>;
  files: SourceFile[];
  /** Routes or modules the analysis could not complete, reported in the report's `errors`. */
  errors: { file: string; message: string }[];
}
