// The OpenAPI document the server describes itself with, read by Swagger UI; "try it out" uses the browser's session.
window.geomineApiDocs = SwaggerUIBundle({
  url: '/openapi/v1.json',
  dom_id: '#api',
  deepLinking: true,
  docExpansion: 'list',
  onComplete: () => { window.geomineApiDocsReady = true; },
});
