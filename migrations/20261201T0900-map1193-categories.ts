import type { Kysely } from 'kysely';

// Frozen in time: never import application code here.

/**
 * The kinds of establishment § 52.6 names, as data an administrator can add to when the
 * legislature does (until now a fixed list in code with names in the catalogs). Which kinds are
 * covered on a day, and since when, stays in map_rules. `names` and `descriptions` are JSON
 * objects by locale; businesses keep their category codes.
 */
const CATEGORIES: { code: string; names: Record<string, string>; descriptions: Record<string, string> }[] = [
  {
    code: 'bar',
    names: { en: "Bar or nightclub (on-sale general public premises)", es: "Bar o club nocturno (licencia general para consumo en el local)" },
    descriptions: {
      en: "Bars and nightclubs that hold an on-sale general public premises license, where people under 21 are not admitted, must post the notice: traffickers use nightlife venues to find and sell victims.",
      es: "Los bares y clubes nocturnos con licencia general para consumo en el local, donde no se admite a menores de 21 años, deben colocar el aviso: los tratantes usan los lugares de vida nocturna para encontrar y vender a sus víctimas.",
    },
  },
  {
    code: 'adult',
    names: { en: "Adult or sexually oriented business", es: "Negocio para adultos o de orientación sexual" },
    descriptions: {
      en: "Adult and sexually oriented businesses must post the notice because people forced into commercial sex are often exploited in or through them.",
      es: "Los negocios para adultos o de orientación sexual deben colocar el aviso porque las personas obligadas al sexo comercial muchas veces son explotadas en ellos o a través de ellos.",
    },
  },
  {
    code: 'airport',
    names: { en: "Primary airport", es: "Aeropuerto principal" },
    descriptions: {
      en: "Primary airports must post the notice: victims are moved through them, and a notice may reach someone at the moment they travel.",
      es: "Los aeropuertos principales deben colocar el aviso: las víctimas pasan por ellos, y un aviso puede llegar a alguien justo cuando viaja.",
    },
  },
  {
    code: 'rail_station',
    names: { en: "Intercity passenger rail or light rail station", es: "Estación de tren interurbano o de tren ligero" },
    descriptions: {
      en: "Rail and light rail stations must post the notice because traffickers use public transport to move people.",
      es: "Las estaciones de tren y de tren ligero deben colocar el aviso porque los tratantes usan el transporte público para trasladar a las personas.",
    },
  },
  {
    code: 'bus_station',
    names: { en: "Bus station", es: "Estación de autobuses" },
    descriptions: {
      en: "Bus stations must post the notice because traffickers use buses to move people, and a notice there can reach someone in transit.",
      es: "Las estaciones de autobuses deben colocar el aviso porque los tratantes usan los autobuses para trasladar a las personas, y allí un aviso puede llegar a alguien de paso.",
    },
  },
  {
    code: 'truck_stop',
    names: { en: "Truck stop", es: "Parada de camiones" },
    descriptions: {
      en: "Truck stops (private sites with fuel, food, showers or overnight truck parking) must post the notice: sex trafficking is known to happen at truck stops.",
      es: "Las paradas de camiones (sitios privados con combustible, comida, duchas o estacionamiento nocturno para camiones) deben colocar el aviso: se sabe que en ellas ocurre trata con fines sexuales.",
    },
  },
  {
    code: 'emergency_room',
    names: { en: "Hospital emergency room", es: "Sala de emergencias de hospital" },
    descriptions: {
      en: "Emergency rooms of general acute care hospitals must post the notice: many victims see a health worker at least once while they are trafficked.",
      es: "Las salas de emergencias de los hospitales de cuidados agudos deben colocar el aviso: muchas víctimas ven a un trabajador de la salud al menos una vez mientras son explotadas.",
    },
  },
  {
    code: 'urgent_care',
    names: { en: "Urgent care center", es: "Centro de atención urgente" },
    descriptions: {
      en: "Urgent care centers must post the notice because victims are often brought for treatment there, sometimes by the person controlling them.",
      es: "Los centros de atención urgente deben colocar el aviso porque muchas veces llevan allí a las víctimas para que las atiendan, a veces la misma persona que las controla.",
    },
  },
  {
    code: 'pediatric_care',
    names: { en: "Pediatric care facility", es: "Centro de atención pediátrica" },
    descriptions: {
      en: "Since January 1, 2024, facilities that provide pediatric care must post the notice, so that children and the adults with them can find help.",
      es: "Desde el 1 de enero de 2024, los centros que brindan atención pediátrica deben colocar el aviso para que los niños y los adultos que los acompañan puedan encontrar ayuda.",
    },
  },
  {
    code: 'farm_labor_contractor',
    names: { en: "Farm labor contractor", es: "Contratista de trabajo agrícola" },
    descriptions: {
      en: "Farm labor contractors must post the notice because forced labor happens in agriculture, often through debt and recruitment fees.",
      es: "Los contratistas de trabajo agrícola deben colocar el aviso porque en la agricultura hay trabajo forzado, muchas veces mediante deudas y cobros por el reclutamiento.",
    },
  },
  {
    code: 'job_recruitment',
    names: { en: "Private job recruitment center", es: "Centro privado de reclutamiento de empleo" },
    descriptions: {
      en: "Privately operated job recruitment centers must post the notice because false job offers are a common way into labor and sex trafficking.",
      es: "Los centros privados de reclutamiento de empleo deben colocar el aviso porque las ofertas de trabajo falsas son una vía común hacia la trata laboral y sexual.",
    },
  },
  {
    code: 'rest_area',
    names: { en: "Roadside rest area", es: "Área de descanso en carretera" },
    descriptions: {
      en: "Roadside rest areas must post the notice because people are moved along highways and a notice there can reach them on the way.",
      es: "Las áreas de descanso en las carreteras deben colocar el aviso porque las personas son trasladadas por las autopistas y allí un aviso puede llegarles en el camino.",
    },
  },
  {
    code: 'massage',
    names: { en: "Massage or bodywork business", es: "Negocio de masajes o terapia corporal" },
    descriptions: {
      en: "Businesses offering massage or bodywork for pay must post the notice, because some are used as fronts for sex and labor trafficking. Businesses where every practitioner is state certified are exempt.",
      es: "Los negocios que ofrecen masajes o terapia corporal a cambio de pago deben colocar el aviso, porque algunos se usan como fachada para la trata sexual y laboral. Están exentos los negocios donde todos los terapeutas tienen certificación estatal.",
    },
  },
  {
    code: 'hotel',
    names: { en: "Hotel, motel or bed and breakfast", es: "Hotel, motel u hostal (bed and breakfast)" },
    descriptions: {
      en: "Since January 1, 2019, hotels, motels and bed and breakfast inns must post the notice: trafficking often happens in rented rooms.",
      es: "Desde el 1 de enero de 2019, los hoteles, moteles y hostales deben colocar el aviso: la trata ocurre con frecuencia en habitaciones alquiladas.",
    },
  },
  {
    code: 'personal_care',
    names: { en: "Hair, nail, electrolysis, skin care, barbering or cosmetology business", es: "Peluquería, uñas, electrólisis, cuidado de la piel, barbería o cosmetología" },
    descriptions: {
      en: "Since January 1, 2023, hair, nail, electrolysis and skin care establishments, including barbering and cosmetology establishments, must post the notice because forced labor has been found in the industry.",
      es: "Desde el 1 de enero de 2023, los establecimientos de peluquería, uñas, electrólisis y cuidado de la piel, incluidos los de barbería y cosmetología, deben colocar el aviso porque se ha encontrado trabajo forzado en esa industria.",
    },
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('map_categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('names', 'text', (c) => c.notNull())
    .addColumn('descriptions', 'text', (c) => c.notNull())
    // Lists show the kinds in this order; a new kind goes last.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  const createdAt = new Date().toISOString();
  await db
    .insertInto('map_categories')
    .values(
      CATEGORIES.map((c, i) => ({
        code: c.code,
        names: JSON.stringify(c.names),
        descriptions: JSON.stringify(c.descriptions),
        position: (i + 1) * 10,
        created_at: createdAt,
        created_by: null,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('map_categories').execute();
}
