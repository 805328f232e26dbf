/**
 * Builds the analysis context in named phases: the evaluator over the project model, the Flask
 * model, then the per-route analysis (credentials, CSRF defences, DynamoDB operations) that the
 * route inventory and the rules read.
 */

import { analyseRoute, type RouteAnalysis } from "../concepts/route.js";
import { FlaskModelBuilder } from "../flask/build.js";
import type { Route } from "../flask/model.js";
import type { SourceFile } from "../parse/types.js";
import { Evaluator } from "../python/evaluate.js";
import type { Project } from "../python/project.js";
import type { AnalysisContext, TextFile } from "./context.js";

export function buildContext(
  project: Project,
  textFiles: Map<string, TextFile>,
  files: SourceFile[],
): AnalysisContext {
  const ev = new Evaluator(project);
  const flask = new FlaskModelBuilder(project, ev).build();
  const routes = new Map<Route, RouteAnalysis>();
  const context: AnalysisContext = { project, ev, flask, routes, textFiles, files, errors: [] };
  for (const route of flask.routes) {
    // One route whose analysis fails is reported and left out; the others are still analysed.
    try {
      const analysis = analyseRoute(context, route);
      routes.set(route, analysis);
      flask.facts.set(route, analysis.facts);
    } catch (error) {
      context.errors.push({
        file: route.handler.module.path,
        message: `route ${route.methods.join(",")} ${route.path} could not be analysed: ${(error as Error).message}`,
      });
    }
  }

  return context;
}
