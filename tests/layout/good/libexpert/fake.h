/* fake.h — stands for a libexpert header, included bare. */
int fake(void);
