Console.WriteLine("koppel");
