import zipfile
from xml.sax.saxutils import escape as esc
NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
BODY_PH = '<p:ph type="body" idx="1"/>'
def paras(lines):
    out = ""
    for l in lines:
        lvl = 1 if l.startswith("  ") else 0
        out += f'<a:p><a:pPr lvl="{lvl}"/><a:r><a:rPr lang="en-US" dirty="0"/><a:t>{esc(l.strip())}</a:t></a:r></a:p>'
    return out
def shape(i, ph, lines):
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{i}" name="Shape {i}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
            f'<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras(lines)}</p:txBody></p:sp>')
def table(rows):
    trs = "".join("<a:tr h=\"370840\">" + "".join(f'<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paras([c])}</a:txBody><a:tcPr/></a:tc>' for c in r) + "</a:tr>" for r in rows)
    return ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="9" name="Table 8"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            '<p:xfrm><a:off x="0" y="0"/><a:ext cx="8000000" cy="2000000"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid><a:gridCol w="4000000"/><a:gridCol w="4000000"/></a:tblGrid>{trs}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>')
def slide(title, body, footer, n, extra="", title_type="title"):
    shapes = shape(2, f'<p:ph type="{title_type}"/>', [title])
    if body:
        shapes += shape(3, '<p:ph idx="1"/>', body)
    shapes += extra
    shapes += shape(4, '<p:ph type="ftr" sz="quarter" idx="11"/>', [footer])
    shapes += shape(5, '<p:ph type="sldNum" sz="quarter" idx="12"/>', [str(n)])
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>'
def notes(text):
    body = shape(2, BODY_PH, [text])
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes {NS}><p:cSld><p:spTree>{body}</p:spTree></p:cSld></p:notes>'
def deck(path, slides, order, footer, notes_for=None):
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>' + "".join(f'<Override PartName="/ppt/slides/slide{k}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>' for k in order) + '</Types>')
    z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>')
    ids = "".join(f'<p:sldId id="{256+i}" r:id="rId{10+i}"/>' for i in range(len(order)))
    z.writestr("ppt/presentation.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>')
    rels = "".join(f'<Relationship Id="rId{10+i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide{k}.xml"/>' for i, k in enumerate(order))
    z.writestr("ppt/_rels/presentation.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster" Target="slideMasters/slideMaster1.xml"/>{rels}</Relationships>')
    for i, k in enumerate(order):
        title, body, extra, tt = slides[i]
        z.writestr(f"ppt/slides/slide{k}.xml", slide(title, body, footer, i + 1, extra, tt))
        if notes_for and i in notes_for:
            z.writestr(f"ppt/notesSlides/notesSlide{k}.xml", notes(notes_for[i]))
    z.close()

d05 = [
 ("Open Models, Strong Startups", ["Policy briefing for legislative staff", "Open Compute Alliance, December 2026"], "", "ctrTitle"),
 ("Who builds on open models", ["412 member companies, 80% with fewer than 50 employees", "Clinics, school districts and county governments run them on their own hardware", "  Sensitive records never leave the building"], "", "title"),
 ("What the draft bill would do", ["Require a federal license before publishing weights of covered models", "Make developers liable for any downstream misuse by third parties", "No exemption for research or small developers"], "", "title"),
 ("The cost to a ten-person company", [], table([["Requirement", "Estimated first-year cost"], ["License application and audit", "$1.2 million"], ["Liability insurance", "Not available at any price"]]), "title"),
 ("Our asks", ["Regulate high-risk uses, not the publication of weights", "A safe harbor for good-faith research and open-source developers", "Fund independent red-teaming that anyone can reproduce", "Licensing would entrench the largest incumbents and push development offshore"], "", "title"),
]
deck("d05-coalition-deck.pptx", d05, [1, 2, 5, 3, 4], "Open Compute Alliance | Not for distribution",
     notes_for={4: "Speaker notes: if asked about misuse, say we support mandatory export controls on model weights."})
d06 = [
 ("Proposed Rule on Frontier Model Reporting", ["Staff briefing", "Office of Technology Policy"], "", "ctrTitle"),
 ("Scope", ["Applies to models trained with more than 10^26 operations", "Covers developers, whether or not they publish weights", "Approximately five to ten developers expected to be covered in the first year"], "", "title"),
 ("Requirements", ["Report planned training runs above the threshold 90 days in advance", "Conduct red-team evaluations for chemical, biological and cyber capabilities before deployment", "Submit a summary of evaluation results to the Office", "Publish a model card describing intended uses and known limitations"], "", "title"),
 ("Public comments received", ["1,840 comments during the 60-day period", "Open-source developers asked for an exemption for models released with weights", "Civil society groups asked for public disclosure of evaluation results", "Several commenters asked how the compute threshold would be updated"], "", "title"),
 ("Next steps", ["Staff recommendation due in March", "Final rule expected in the third quarter", "Questions: policy staff, extension 4417"], "", "title"),
]
deck("d06-agency-briefing-deck.pptx", d06, [1, 2, 3, 4, 5], "Pre-decisional draft")
