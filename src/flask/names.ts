/**
 * Qualified names of the library objects the Flask model recognises, in their public spellings.
 * `matchesQualname` also accepts the same name imported from a submodule of the same package
 * (`flask_wtf.csrf.CSRFProtect`).
 */

export const FLASK_APP = ["flask.Flask", "flask.app.Flask"];
export const BLUEPRINT = ["flask.Blueprint", "flask.blueprints.Blueprint"];
export const METHOD_VIEW = ["flask.views.MethodView"];
export const VIEW = ["flask.views.View"];

export const CSRF_PROTECT = [
  "flask_wtf.CSRFProtect",
  "flask_wtf.csrf.CSRFProtect",
  "flask_wtf.CsrfProtect",
];
export const SEASURF = ["flask_seasurf.SeaSurf"];
export const FLASK_FORM = ["flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm"];
export const LOGIN_MANAGER = ["flask_login.LoginManager"];
export const JWT_MANAGER = ["flask_jwt_extended.JWTManager"];
export const CORS = ["flask_cors.CORS"];
export const LIMITER = ["flask_limiter.Limiter"];
export const TALISMAN = ["flask_talisman.Talisman"];
export const RESTFUL_API = ["flask_restful.Api"];
export const RESTFUL_RESOURCE = ["flask_restful.Resource"];
export const RESTX_API = ["flask_restx.Api", "flask_restplus.Api"];
export const RESTX_NAMESPACE = ["flask_restx.Namespace", "flask_restplus.Namespace"];
export const RESTX_RESOURCE = ["flask_restx.Resource", "flask_restplus.Resource"];
export const FLASK_ADMIN = ["flask_admin.Admin"];
export const ADMIN_MODEL_VIEW = [
  "flask_admin.model.BaseModelView",
  "flask_admin.BaseModelView",
  "flask_admin.contrib.sqla.ModelView",
  "flask_admin.contrib.pymongo.ModelView",
  "flask_admin.contrib.peewee.ModelView",
];
export const ADMIN_SECURE_FORM = ["flask_admin.form.SecureForm"];
export const FLASK_SECURITY = ["flask_security.Security"];

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/** Methods whose requests change state by convention and that CSRF defences check. */
export const UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];
