"""Spanish pages: follow-ups, an empty page and noise.

All texts are original prose written for this test web.
"""

from __future__ import annotations

from localweb.model import Page

PAGES: tuple[Page, ...] = (
    Page(
        outlet="heraldo",
        path="/2025/01/27/deepseek-la-startup-china-que-ha-puesto-en-jaque-a-silicon-valley.html",
        title="DeepSeek, la startup china que ha puesto en jaque a Silicon Valley",
        language="es",
        published="2025-01-27T12:30:00+01:00",
        author="Lucía Ferrer",
        paragraphs=(
            "Hasta hace unos días, muy pocos fuera del sector habían oído hablar de DeepSeek. "
            "Hoy, la empresa china de inteligencia artificial encabeza las listas de descargas "
            "de aplicaciones en Estados Unidos y su modelo R1 es objeto de análisis en todos los "
            "laboratorios del mundo.",
            "Fundada en 2023 en Hangzhou por Liang Wenfeng, un ingeniero que antes dirigía el "
            "fondo de inversión cuantitativa High-Flyer, DeepSeek presentó el pasado 20 de enero "
            "un modelo de razonamiento que, según sus pruebas, rinde al nivel de o1, el sistema "
            "más avanzado de OpenAI, en matemáticas y programación.",
            "Lo que más llama la atención es la eficiencia. La compañía asegura que el "
            "entrenamiento final de su modelo base, DeepSeek-V3, costó unos 5,6 millones de "
            "dólares, una fracción de lo que gastan sus competidores estadounidenses. Además, "
            "trabajó con chips H800 de Nvidia, una versión recortada que sí podía exportarse a "
            "China.",
            "Otra diferencia es su apuesta por el código abierto. Cualquiera puede descargar los "
            "pesos de DeepSeek-R1 y ejecutarlo en sus propios servidores, y el precio de su API "
            "es muy inferior al de sus rivales.",
            "No todo son elogios. Expertos en privacidad advierten de que la aplicación almacena "
            "los datos en China, y los usuarios han comprobado que evita responder sobre asuntos "
            "sensibles para Pekín. Aun así, el fenómeno DeepSeek ya ha obligado a replantear una "
            "pregunta clave: cuánto dinero hace falta realmente para competir en inteligencia "
            "artificial.",
        ),
        expect="followup",
    ),
    Page(
        outlet="heraldo",
        path="/2025/01/31/italia-bloquea-deepseek-y-otros-reguladores-piden-explicaciones.html",
        title="Italia bloquea DeepSeek y otros reguladores europeos piden explicaciones",
        language="es",
        published="2025-01-31T10:15:00+01:00",
        author="Javier Ortiz",
        paragraphs=(
            "La autoridad italiana de protección de datos ha ordenado el bloqueo de la "
            "aplicación de DeepSeek en el país, convirtiéndose en el primer regulador europeo que "
            "actúa contra el asistente de inteligencia artificial chino desde su lanzamiento a "
            "escala mundial.",
            "El Garante per la protezione dei dati personali explicó que las respuestas de la "
            "empresa a sus preguntas sobre qué datos recoge, con qué finalidad y dónde los "
            "almacena fueron «totalmente insuficientes». DeepSeek sostuvo que no opera en Italia "
            "y que la legislación europea no le es aplicable, algo que el regulador rechaza.",
            "Otros países siguen de cerca el caso. La Comisión de Protección de Datos de Irlanda "
            "ha escrito a la compañía, y en Francia la CNIL ha anunciado que analizará el "
            "funcionamiento del servicio. En España, la organización de consumidores OCU ha "
            "pedido a la Agencia Española de Protección de Datos que investigue la aplicación.",
            "La aplicación de DeepSeek, gratuita, se ha convertido en una de las más descargadas "
            "en España durante la última semana. Su política de privacidad indica que la "
            "información de los usuarios se guarda en servidores situados en China.",
            "El Garante ya bloqueó ChatGPT en 2023 durante casi un mes. Entonces, OpenAI "
            "introdujo cambios en su servicio para cumplir con las exigencias del regulador y la "
            "aplicación volvió a estar disponible en Italia.",
        ),
        expect="followup",
    ),
    Page(
        outlet="heraldo",
        path="/2025/02/12/investigadores-valencianos-ponen-a-prueba-deepseek-r1-en-espanol.html",
        title="Investigadores valencianos ponen a prueba DeepSeek-R1 en español",
        language="es",
        published="2025-02-12T09:40:00+01:00",
        author="Lucía Ferrer",
        paragraphs=(
            "Un grupo de investigadores de una universidad valenciana ha sometido al modelo "
            "DeepSeek-R1 a una batería de pruebas en español y el resultado, según sus "
            "conclusiones preliminares, es «notable, con matices». El estudio, que aún no ha "
            "sido revisado por pares, compara el modelo chino con otros cuatro sistemas "
            "comerciales y abiertos.",
            "El equipo, dirigido por la catedrática de Lenguajes y Sistemas Informáticos Marta "
            "Soler, utilizó 1.200 preguntas de exámenes de acceso a la universidad, problemas de "
            "matemáticas y ejercicios de programación. DeepSeek-R1 acertó el 87 % de los "
            "problemas matemáticos, por encima de la media del resto de modelos evaluados.",
            "Los investigadores destacan que el modelo muestra su cadena de razonamiento antes "
            "de responder, lo que permite analizar en qué paso se equivoca. «Para la docencia es "
            "muy interesante, porque el estudiante ve el proceso y no solo la solución», explica "
            "Soler.",
            "Las debilidades aparecen en preguntas de historia y actualidad, donde DeepSeek "
            "comete más errores factuales y, en algunos casos, cambia de idioma a mitad de la "
            "respuesta, pasando del español al inglés o al chino.",
            "El grupo ha ejecutado las pruebas en servidores propios, con una versión destilada "
            "del modelo, para no enviar datos a China. Su próximo paso será evaluar el consumo "
            "energético de DeepSeek-R1 frente a otros modelos de tamaño similar.",
        ),
        expect="followup",
    ),
    Page(
        outlet="heraldo",
        path="/2025/02/02/la-aemet-activa-el-aviso-naranja-por-lluvias-en-el-litoral.html",
        title="La AEMET activa el aviso naranja por lluvias en el litoral valenciano",
        language="es",
        published="2025-02-02T18:20:00+01:00",
        author="Javier Ortiz",
        paragraphs=(
            "La Agencia Estatal de Meteorología ha activado el aviso naranja por lluvias "
            "intensas en el litoral de Valencia y Castellón para la jornada del lunes, cuando se "
            "esperan acumulados de hasta 80 litros por metro cuadrado en doce horas.",
            "Una borrasca situada al sur de Baleares empujará aire húmedo del Mediterráneo hacia "
            "la costa, lo que favorecerá chubascos fuertes y persistentes, acompañados en "
            "ocasiones de tormenta. En el interior las precipitaciones serán más débiles.",
            "La Generalitat ha convocado una reunión de coordinación del plan de inundaciones y "
            "recomienda evitar los desplazamientos no imprescindibles en las horas de mayor "
            "intensidad, previstas entre la madrugada y el mediodía. Varios ayuntamientos han "
            "suspendido las actividades extraescolares.",
            "Los servicios de emergencia piden no cruzar barrancos ni zonas inundables y no "
            "estacionar vehículos en cauces. Tras la dana del pasado octubre, la sensibilidad "
            "ante cualquier aviso es máxima en la provincia.",
            "Según la previsión, el martes la situación mejorará de forma progresiva, con cielos "
            "nubosos y temperaturas en ligero descenso en toda la Comunitat.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="heraldo",
        path="/2025/02/20/el-precio-del-alquiler-sube-un-9-en-la-comunitat-valenciana.html",
        title="El precio del alquiler sube un 9 % en la Comunitat Valenciana",
        language="es",
        published="2025-02-20T13:00:00+01:00",
        author="Ana Beltrán",
        paragraphs=(
            "El precio medio del alquiler en la Comunitat Valenciana se situó en enero en 12,4 "
            "euros por metro cuadrado, un 9 % más que hace un año, según el informe mensual de "
            "un portal inmobiliario publicado este jueves. Se trata del nivel más alto desde que "
            "hay registros.",
            "Valencia capital lidera las subidas, con un incremento interanual del 11 %, seguida "
            "de Alicante, con un 10 %. En Castellón el aumento fue más moderado, del 6 %. Un piso "
            "de 80 metros cuadrados en la ciudad de Valencia cuesta ya de media cerca de 1.100 "
            "euros al mes.",
            "Los expertos atribuyen la tendencia a la escasez de oferta, la demanda creciente de "
            "jóvenes y trabajadores desplazados y la presión de los pisos turísticos en los "
            "barrios céntricos. El número de viviendas disponibles para alquiler de larga "
            "duración ha caído un 15 % en dos años.",
            "Las asociaciones de inquilinos reclaman que la región aplique los índices de "
            "referencia previstos en la ley estatal de vivienda, algo que el Gobierno autonómico "
            "descarta por considerar que reduciría todavía más la oferta.",
            "Mientras tanto, el Ayuntamiento de Valencia ha anunciado un plan para construir "
            "1.000 viviendas de protección pública en los próximos cuatro años en solares "
            "municipales.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="heraldo",
        path="/2025/03/08/miles-de-personas-llenan-la-plaza-para-la-mascleta.html",
        title="Miles de personas llenan la plaza del Ayuntamiento para la mascletà del sábado",
        language="es",
        published="2025-03-08T20:00:00+01:00",
        author="Ana Beltrán",
        paragraphs=(
            "Miles de personas abarrotaron este sábado la plaza del Ayuntamiento de Valencia "
            "para seguir la octava mascletà de las Fallas de 2025, disparada por una pirotecnia "
            "alicantina que debutaba en el ciclo oficial. El estruendo, de casi siete minutos, "
            "terminó con un largo terremoto final que arrancó los aplausos del público.",
            "Las mascletàs se celebran cada día a las dos de la tarde desde el 1 hasta el 19 de "
            "marzo. La de este sábado, con cielo despejado y 19 grados, reunió a una de las "
            "mayores multitudes de lo que va de mes, según la Policía Local, que estableció "
            "accesos controlados por seguridad.",
            "Mientras tanto, las comisiones ultiman los monumentos que se plantarán en la noche "
            "del 15 al 16 de marzo. Este año participan más de 380 comisiones, y la falla "
            "municipal, de 22 metros de altura, está dedicada a los oficios tradicionales de la "
            "ciudad.",
            "La Ofrenda de flores a la Virgen de los Desamparados, los días 17 y 18, y la Cremà, "
            "la noche del 19, pondrán el cierre a unas fiestas que atraen cada año a cientos de "
            "miles de visitantes.",
            "El Ayuntamiento recuerda que los petardos solo pueden lanzarse en los espacios y "
            "horarios autorizados y recomienda el uso de protección auditiva para los niños.",
        ),
        expect="off_topic",
        in_feed=False,
    ),
    Page(
        outlet="heraldo",
        path="/2024/12/10/una-startup-de-castello-usa-la-ia-contra-las-plagas-de-los-citricos.html",
        title="Una startup de Castelló usa la inteligencia artificial contra las plagas de los cítricos",
        language="es",
        published="2024-12-10T11:30:00+01:00",
        author="Javier Ortiz",
        paragraphs=(
            "Una startup de Castelló ha presentado un sistema de inteligencia artificial capaz "
            "de detectar plagas en los cítricos a partir de fotografías tomadas con el móvil. La "
            "herramienta, llamada Azahar Vision, se ha probado durante dos campañas en 40 "
            "explotaciones de la Plana y de la Ribera.",
            "Según sus creadores, el sistema identifica con un 92 % de acierto la presencia de "
            "cotonet, piojo rojo y otras plagas habituales, y recomienda el momento óptimo de "
            "tratamiento. El objetivo es reducir el uso de fitosanitarios y anticipar los "
            "problemas antes de que afecten a la cosecha.",
            "La empresa, fundada en 2022 por tres ingenieros agrónomos y una informática, ha "
            "cerrado una ronda de financiación de 1,8 millones de euros liderada por un fondo "
            "especializado en tecnología agroalimentaria. Cuenta con 14 empleados.",
            "Los agricultores que participaron en las pruebas valoran la sencillez de uso. "
            "«Antes tenía que llamar al técnico para cada duda; ahora hago una foto y en unos "
            "segundos tengo una primera respuesta», explica un productor de naranjas de Burriana.",
            "La compañía prevé lanzar la versión comercial la próxima primavera, con una "
            "suscripción anual adaptada al tamaño de cada explotación, y estudia extender el "
            "modelo a la vid y al olivar.",
        ),
        expect="too_old",
    ),
    Page(
        outlet="heraldo",
        path="/2025/02/04/deepseek-en-cinco-claves.html",
        title="DeepSeek en cinco claves: todo lo que hay que saber",
        language="es",
        published="2025-02-04T08:00:00+01:00",
        author="Redacción",
        paragraphs=(
            "Repasamos en cinco puntos qué es DeepSeek y por qué preocupa a Silicon Valley.",
        ),
        expect="empty_body",
        in_sitemap=False,
    ),
)

#: Pages that belong to general news sections rather than to ``/tech/``.
GENERAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("heraldo", "/2025/02/02/la-aemet-activa-el-aviso-naranja-por-lluvias-en-el-litoral.html"),
        ("heraldo", "/2025/02/20/el-precio-del-alquiler-sube-un-9-en-la-comunitat-valenciana.html"),
        ("heraldo", "/2025/03/08/miles-de-personas-llenan-la-plaza-para-la-mascleta.html"),
    }
)
