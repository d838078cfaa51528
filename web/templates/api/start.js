// Swagger UI for the CFPI Case Tracker API: the spec URL is on the element.
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.spec,
    domNode: element,
    deepLinking: true,
    persistAuthorization: false,
  });
});
