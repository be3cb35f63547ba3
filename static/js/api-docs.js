// The API documentation page (/api/v1/docs/): Swagger UI, served from our static files,
// reading the OpenAPI schema whose URL the page gives. No inline script: CSP allows none.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-schema-url"),
    domNode: target,
    deepLinking: true,
    persistAuthorization: false,
    // No call to the public validator (an outside server, refused by our CSP anyway).
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
