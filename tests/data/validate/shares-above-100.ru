# Broken on purpose: a Mainland China share of revenue of 68.1 % next to the stated
# overseas 41.9 %: the two regions make up the world and add up to 110 %.
# Expected: a share-total check, inconsistent.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX id:     <https://w3id.org/xmgraph/id/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
INSERT {
  <https://w3id.org/xmgraph/id/obs/broken-mainland-share> a qb:Observation ; qb:dataSet ?ds ; xmg:entity ?e ;
      xmg:metric metric:RevenueShare ; xmg:period ?p ; xmg:scenario ?s ; xmg:unit ?u ;
      xmg:region <https://w3id.org/xmgraph/id/region/mainland-china> ; xmg:value "68.1"^^xsd:decimal ;
      xmg:qualifierText "" ; xmg:source ?span .
}
WHERE {
  ?obs xmg:metric metric:RevenueShare ; xmg:region <https://w3id.org/xmgraph/id/region/overseas> ; xmg:period ?p ;
       qb:dataSet ?ds ; xmg:entity ?e ; xmg:scenario ?s ; xmg:unit ?u ; xmg:source ?span .
}
