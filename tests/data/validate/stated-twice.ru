# Broken on purpose: the 2024 gross profit stated a second time, as 76.56亿 (a slipped
# scale) in another sentence. Expected: a restatement check, conflict, naming both
# sentences; IC-12 (no duplicate observations) reports both observations.
PREFIX xmg:    <https://w3id.org/xmgraph/ont#>
PREFIX metric: <https://w3id.org/xmgraph/metric/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX id:     <https://w3id.org/xmgraph/id/>
PREFIX qb:     <http://purl.org/linked-data/cube#>
INSERT {
  <https://w3id.org/xmgraph/id/obs/broken-gross-profit> a qb:Observation ; qb:dataSet ?ds ; xmg:entity ?e ;
      xmg:metric metric:GrossProfit ; xmg:period ?p ; xmg:region ?r ; xmg:scenario ?s ;
      xmg:unit ?u ; xmg:value "7656000000"^^xsd:decimal ; xmg:qualifierText "" ;
      xmg:source <https://w3id.org/xmgraph/id/broken-span> .
  <https://w3id.org/xmgraph/id/broken-span> a xmg:SourceSpan ; xmg:report ?report ; xmg:start 5000 ; xmg:end 5020 ;
      xmg:text "另據公告,全年毛利為76.56億元。" .
}
WHERE {
  ?obs xmg:metric metric:GrossProfit ; xmg:period ?p ; qb:dataSet ?ds ; xmg:entity ?e ;
       xmg:region ?r ; xmg:scenario ?s ; xmg:unit ?u ; xmg:source/xmg:report ?report .
  ?p xmg:periodCode "2024" .
}
