/**
 * The analysis context handed to every rule: the project model, the Flask and DynamoDB models built
 * from it, the non-Python files that rules read (settings JSON, .env), and the options.
 * Built once, in phases, before any rule runs; rules only read it.
 */

import type { Project } from "../python/project.js";
import type { FlaskModel } from "../flask/model.js";
import type { SourceFile } from "../parse/types.js";

export interface TextFile {
  path: string;
  text: string;
}

export interface AnalysisContext {
  project: Project;
  flask: FlaskModel;
  /** Non-Python files read as text (JSON, .env, .cfg, requirements), by relative path. */
  textFiles: Map<string, TextFile>;
  files: SourceFile[];
}
