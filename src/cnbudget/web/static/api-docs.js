// Starts Swagger UI or ReDoc on the API's description (a file, not inline script: the CSP allows no inline script).
(function () {
  "use strict";
  var spec = "/api/v1/openapi.json";
  var swagger = document.getElementById("swagger-ui");
  if (swagger && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({ url: spec, dom_id: "#swagger-ui", deepLinking: true, layout: "BaseLayout" });
  }
  var redoc = document.getElementById("redoc");
  if (redoc && window.Redoc) {
    window.Redoc.init(spec, { hideDownloadButton: false }, redoc);
  }
})();
