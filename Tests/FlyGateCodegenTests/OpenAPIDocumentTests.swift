import FlyGateJSON
import Testing

@testable import FlyGateCodegen

/// How the generator reads schemas out of a document.
@Suite struct OpenAPIDocumentTests {
    /// A document whose body refers to a component that is itself a map, as Fly's
    /// `placement.Weights` is (an object of integers with no properties).
    static let document = #"""
        {
          "components": {"schemas": {
            "placement.Weights": {"type": "object", "additionalProperties": {"type": "integer"}},
            "Request": {"type": "object", "properties": {
              "weights": {"$ref": "#/components/schemas/placement.Weights"},
              "history": {"type": "array", "items": {"$ref": "#/components/schemas/placement.Weights"}},
              "region": {"type": "string"}
            }}
          }},
          "paths": {"/platform/placements": {"post": {
            "operationId": "Platform_placements_post",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}}},
            "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/placement.Weights"}}}}}
          }}}
        }
        """#

    @Test("a component that is itself a map is that map wherever it is referenced, not a message with nothing in it")
    func mapComponentsAreInlined() throws {
        let document = try OpenAPIDocument(json: try JSONValue(parsing: Array(Self.document.utf8)))
        #expect(document.components["placement.Weights"] == nil)
        let properties = try #require(document.components["Request"]?.properties)
        #expect(properties.map(\.schema) == [.map(.integer), .array(.map(.integer)), .string(enumValues: [])])
        let operation = try #require(document.operations.first)
        #expect(operation.requestBody == .reference("Request"))
        #expect(operation.responses.first?.schema == .map(.integer))
    }
}
