"""Small valid documents of each input format, for the import tests and the format fuzz."""

from __future__ import annotations

import json

CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


def camt053(entries: str | None = None, namespace: str = CAMT_NS) -> bytes:
    """One statement for GB29NWBK60161331926819: a credit from a Dutch IBAN, a cash withdrawal."""
    body = entries if entries is not None else CAMT_ENTRIES
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{namespace}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-02T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <ElctrncSeqNb>7</ElctrncSeqNb>
      <CreDtTm>2026-03-02T06:00:00</CreDtTm>
      <Acct>
        <Id><IBAN>GB29NWBK60161331926819</IBAN></Id>
        <Ccy>GBP</Ccy>
        <Ownr><Nm>Siobhán O'Brien</Nm></Ownr>
        <Svcr><FinInstnId><BIC>NWBKGB2L</BIC></FinInstnId></Svcr>
      </Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">10.00</Amt></Bal>
{body}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


CAMT_ENTRIES = """      <Ntry>
        <Amt Ccy="GBP">950.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><DtTm>2026-03-01T10:01:00Z</DtTm></BookgDt>
        <AcctSvcrRef>NWB-0001</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>E2E-1</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Nm>Zoë Nguyễn</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>invoice 42</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="GBP">200.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-01</Dt></BookgDt>
        <AcctSvcrRef>NWB-0002</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>CCRD</Cd><SubFmlyCd>CWDL</SubFmlyCd></Fmly></Domn></BkTxCd>
      </Ntry>"""


def pain001(transfers: str | None = None, namespace: str = PAIN_NS) -> bytes:
    body = transfers if transfers is not None else PAIN_TRANSFERS
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{namespace}">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>PAIN-1</MsgId><CreDtTm>2026-03-01T08:00:00</CreDtTm><NbOfTxs>2</NbOfTxs>
      <InitgPty><Nm>Acme Trading (UK) Ltd</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>BATCH-1</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <ReqdExctnDt>2026-03-03</ReqdExctnDt>
      <Dbtr><Nm>Acme Trading (UK) Ltd</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id><Ccy>GBP</Ccy></DbtrAcct>
      <DbtrAgt><FinInstnId><BIC>BUKBGB22</BIC></FinInstnId></DbtrAgt>
{body}
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
""".encode()


PAIN_TRANSFERS = """      <CdtTrfTxInf>
        <PmtId><EndToEndId>INV-1</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="GBP">120.50</InstdAmt></Amt>
        <Cdtr><Nm>Jean-Luc Smith-Jones</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>GB29NWBK60161331926819</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>rent March</Ustrd></RmtInf>
      </CdtTrfTxInf>
      <CdtTrfTxInf>
        <PmtId><EndToEndId>INV-2</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="EUR">99.99</InstdAmt></Amt>
        <CdtrAgt><FinInstnId><BIC>PSSTFRPP</BIC></FinInstnId></CdtrAgt>
        <Cdtr><Nm>Zoë Nguyễn</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></CdtrAcct>
      </CdtTrfTxInf>"""


FTM_ENTITIES = [
    {
        "id": "p1",
        "schema": "Person",
        "properties": {
            "name": ["Siobhán O'Brien"],
            "firstName": ["Siobhán"],
            "lastName": ["O'Brien"],
            "birthDate": ["1990-02-03"],
            "nationality": ["ie"],
            "email": ["s.obrien@example.test"],
        },
    },
    {"id": "c1", "schema": "Company", "properties": {"name": ["Acme Trading (UK) Ltd"]}},
    {
        "id": "a1",
        "schema": "BankAccount",
        "properties": {
            "iban": ["GB29NWBK60161331926819"],
            "bic": ["NWBKGB2L"],
            "currency": ["GBP"],
        },
    },
    {
        "id": "a2",
        "schema": "BankAccount",
        "properties": {"accountNumber": ["GB-654321-87654321"], "bankName": ["Example Bank"]},
    },
    {"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["a1"]}},
    {"id": "o2", "schema": "Ownership", "properties": {"owner": ["c1"], "asset": ["a2"]}},
    {
        "id": "pay1",
        "schema": "Payment",
        "properties": {
            "amount": ["950.00"],
            "currency": ["GBP"],
            "date": ["2026-03-01T10:01:00"],
            "payer": ["p1"],
            "payerAccount": ["a1"],
            "beneficiary": ["c1"],
            "beneficiaryAccount": ["a2"],
            "purpose": ["ref 1"],
            "programme": ["fps"],
        },
    },
]


def ftm_lines(entities: list[dict] | None = None) -> bytes:
    chosen = FTM_ENTITIES if entities is None else entities
    return ("\n".join(json.dumps(e, ensure_ascii=False) for e in chosen) + "\n").encode()
